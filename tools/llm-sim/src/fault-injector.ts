import { SeededRandom } from './deterministic-random';
import { OpenAiApiError } from './openai-api.error';
import type { SimConfig } from './sim-config';
import type { SimFault } from './sim-stats';

/** Draws at most one fault per request from a seeded sequence, so a run with the same seed and order repeats. */
export class FaultInjector {
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  pick(faults: SimConfig['faults']): SimFault | undefined {
    if (faults.rate429 + faults.rate500 + faults.rate400 + faults.rateHang === 0) return undefined;
    const draw = this.random.next();
    let bound = faults.rate429;
    if (draw < bound) return '429';
    bound += faults.rate500;
    if (draw < bound) return '500';
    bound += faults.rate400;
    if (draw < bound) return '400';
    bound += faults.rateHang;
    if (draw < bound) return 'hang';
    return undefined;
  }
}

/** The OpenAI-shaped error an injected fault answers with. */
export function injectedFaultError(fault: Exclude<SimFault, 'hang'>, retryAfterMs: number): OpenAiApiError {
  switch (fault) {
    case '429':
      return new OpenAiApiError(
        429,
        `Rate limit reached (simulated by llm-sim). Please try again in ${retryAfterMs}ms.`,
        'requests',
        'rate_limit_exceeded',
        null,
        { 'retry-after': String(Math.ceil(retryAfterMs / 1000)), 'retry-after-ms': String(Math.ceil(retryAfterMs)) },
      );
    case '500':
      return new OpenAiApiError(500, 'The server had an error while processing your request (simulated by llm-sim).', 'server_error', 'server_error');
    case '400':
      return OpenAiApiError.invalidRequest('Invalid request (simulated by llm-sim).', null, 'invalid_request_error');
  }
}
