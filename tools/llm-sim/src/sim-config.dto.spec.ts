import { DEFAULT_LLM_SIM_OPTIONS, resolveLlmSimOptions } from './llm-sim.options';
import { accuracyFor, simConfigFromOptions } from './sim-config';
import { applySimConfigPatch, simConfigToJson } from './sim-config.dto';
import { SimConfigError } from './sim-config.error';

const config = simConfigFromOptions(resolveLlmSimOptions({ latencyMs: 5, accuracy: { custom: 0.3 } }));

describe('applySimConfigPatch', () => {
  it('changes only the given fields and merges accuracy', () => {
    const next = applySimConfigPatch(config, { faults: { rate_429: 0.2 }, accuracy: { 'sim-small': 0.5 } });
    expect(simConfigToJson(next)).toEqual({
      latency: { responses_ms: 5, responses_jitter_ms: 0, embeddings_ms: 0 },
      faults: { rate_429: 0.2, rate_500: 0, rate_400: 0, rate_hang: 0, retry_after_ms: 1000 },
      accuracy: { 'sim-large': 0.9, 'sim-small': 0.5, '*': 0.75, custom: 0.3 },
    });
    expect(config.faults.rate429).toBe(0);
  });

  it('rejects bad values naming the field', () => {
    expect(() => applySimConfigPatch(config, { faults: { rate_500: 2 } })).toThrow(SimConfigError);
    expect(() => applySimConfigPatch(config, { latency: { embeddings_ms: -1 } })).toThrow(/latency.embeddings_ms/);
    expect(() => applySimConfigPatch(config, { accuracy: { x: 'high' } })).toThrow(/accuracy.x/);
    expect(() => applySimConfigPatch(config, { faults: { rate_429: 0.6, rate_hang: 0.6 } })).toThrow(/add up/);
    expect(() => applySimConfigPatch(config, [])).toThrow(/body/);
  });
});

describe('accuracyFor', () => {
  it('uses the model entry, else the wildcard default', () => {
    expect(accuracyFor(config, 'sim-large')).toBe(0.9);
    expect(accuracyFor(config, 'custom')).toBe(0.3);
    expect(accuracyFor(config, 'gpt-4o-mini')).toBe(0.75);
  });
});

describe('resolveLlmSimOptions', () => {
  it('fills defaults and ignores undefined fields', () => {
    expect(resolveLlmSimOptions({ port: undefined, seed: 7 })).toMatchObject({ port: DEFAULT_LLM_SIM_OPTIONS.port, seed: 7 });
  });

  it('rejects unusable options naming them', () => {
    expect(() => resolveLlmSimOptions({ port: 70000 })).toThrow(/port/);
    expect(() => resolveLlmSimOptions({ fault429Rate: 0.7, fault500Rate: 0.7 })).toThrow(/exceed/);
  });
});
