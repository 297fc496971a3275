import { RunConfigSnapshot } from '@yardstick/contracts';
import { pipelineOf, stageOutputs, stepRecord } from './pipeline';

const base: RunConfigSnapshot = {
  configId: '00000000-0000-4000-8000-00000000c000', version: 1, model: 'sim-small', instructions: 'Be brief.',
  promptTemplate: 'Q: {{question}}', params: { temperature: 0 }, embeddingModel: 'e',
};

describe(pipelineOf.name, () => {
  it('makes a single-stage config a one-step pipeline named "response"', () => {
    expect(pipelineOf(base)).toEqual([{ name: 'response', model: 'sim-small', instructions: 'Be brief.', promptTemplate: 'Q: {{question}}', params: { temperature: 0 } }]);
  });

  it('uses the pipeline when the config has one', () => {
    const pipeline = [{ name: 'a', model: 'm1', promptTemplate: '{{question}}', params: {} }, { name: 'b', model: 'm2', promptTemplate: '{{ stages.a.output }}', params: {} }];
    expect(pipelineOf({ ...base, promptTemplate: undefined, pipeline }).map((s) => s.name)).toEqual(['a', 'b']);
  });
});

describe(stageOutputs.name, () => {
  it('exposes the outputs of finished steps by name, not the last step (whose output is the item\'s)', () => {
    const outcome = { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, latencyMs: 4, costUsd: 0.5 };
    const step = { name: 'extract', model: 'm', promptTemplate: '', params: {} };
    expect(stageOutputs([stepRecord(step, 'm', outcome, 'facts'), stepRecord({ ...step, name: 'answer' }, 'm', outcome, undefined)]))
      .toEqual({ extract: { output: 'facts' } });
  });
});
