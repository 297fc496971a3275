import { ANY_MODEL, type LlmSimOptions } from './llm-sim.options';
import { SimConfigError } from './sim-config.error';

/** The behaviour that PUT /sim/config may change while the simulator runs. */
export interface SimConfig {
  latency: { responsesMs: number; responsesJitterMs: number; embeddingsMs: number };
  faults: { rate429: number; rate500: number; rate400: number; rateHang: number; retryAfterMs: number };
  accuracy: Record<string, number>;
}

export function simConfigFromOptions(options: LlmSimOptions): SimConfig {
  return {
    latency: {
      responsesMs: options.latencyMs,
      responsesJitterMs: options.latencyJitterMs,
      embeddingsMs: options.embedLatencyMs,
    },
    faults: {
      rate429: options.fault429Rate,
      rate500: options.fault500Rate,
      rate400: options.fault400Rate,
      rateHang: options.faultHangRate,
      retryAfterMs: options.retryAfterMs,
    },
    accuracy: { ...options.accuracy },
  };
}

export function accuracyFor(config: SimConfig, model: string): number {
  return config.accuracy[model] ?? config.accuracy[ANY_MODEL] ?? 0.75;
}

export function checkFaultTotal(faults: SimConfig['faults'], setting: string): void {
  if (faults.rate429 + faults.rate500 + faults.rate400 + faults.rateHang > 1) {
    throw new SimConfigError(setting, 'the fault rates must not add up to more than 1');
  }
}
