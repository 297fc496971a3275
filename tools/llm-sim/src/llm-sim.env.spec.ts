import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llmSimOptionsFromEnv } from './llm-sim.env';

describe('llmSimOptionsFromEnv', () => {
  it('leaves every option undefined when no variable is set', () => {
    expect(Object.values(llmSimOptionsFromEnv({})).every((value) => value === undefined)).toBe(true);
  });

  it('reads every variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-sim-'));
    const keyPath = join(dir, 'key.csv');
    writeFileSync(keyPath, 'Question,Answer\nWhat is 1+1?,2\n');
    expect(
      llmSimOptionsFromEnv({
        LLM_SIM_HOST: '0.0.0.0',
        LLM_SIM_PORT: '4011',
        LLM_SIM_SEED: '42',
        LLM_SIM_ANSWER_KEY: keyPath,
        LLM_SIM_LATENCY_MS: '20',
        LLM_SIM_LATENCY_JITTER_MS: '5',
        LLM_SIM_EMBED_LATENCY_MS: '3',
        LLM_SIM_API_KEY: 'secret',
        LLM_SIM_FAULT_429_RATE: '0.1',
        LLM_SIM_FAULT_500_RATE: '0.05',
        LLM_SIM_FAULT_400_RATE: '0.01',
        LLM_SIM_FAULT_HANG_RATE: '0.001',
        LLM_SIM_RETRY_AFTER_MS: '1500',
        LLM_SIM_ACCURACY: '{"sim-large":0.95}',
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 4011,
      seed: 42,
      answerKey: [{ question: 'What is 1+1?', answer: '2' }],
      latencyMs: 20,
      latencyJitterMs: 5,
      embedLatencyMs: 3,
      apiKey: 'secret',
      fault429Rate: 0.1,
      fault500Rate: 0.05,
      fault400Rate: 0.01,
      faultHangRate: 0.001,
      retryAfterMs: 1500,
      accuracy: { 'sim-large': 0.95 },
    });
  });

  it.each([
    ['LLM_SIM_PORT', 'abc'],
    ['LLM_SIM_PORT', '70000'],
    ['LLM_SIM_SEED', '1.5'],
    ['LLM_SIM_LATENCY_MS', '-1'],
    ['LLM_SIM_FAULT_429_RATE', '1.5'],
    ['LLM_SIM_ACCURACY', '{bad json'],
    ['LLM_SIM_ACCURACY', '{"sim-large":2}'],
    ['LLM_SIM_ANSWER_KEY', '/nonexistent/key.csv'],
  ])('names %s when it is %s', (name, value) => {
    expect(() => llmSimOptionsFromEnv({ [name]: value })).toThrow(name);
  });

  it('rejects fault rates that add up to more than 1', () => {
    expect(() => llmSimOptionsFromEnv({ LLM_SIM_FAULT_429_RATE: '0.6', LLM_SIM_FAULT_500_RATE: '0.6' })).toThrow(/FAULT/);
  });
});
