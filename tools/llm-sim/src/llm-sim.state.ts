import type { AnswerKey } from './answer-key';
import type { RequestLog } from './request-log';
import type { SimConfig } from './sim-config';
import type { SimStats } from './sim-stats';

/** The live state of one simulator, shared by its handlers and exposed to in-process tests. */
export interface LlmSimState {
  readonly seed: number;
  readonly answerKey: AnswerKey;
  readonly stats: SimStats;
  /** Arrival time and outcome of each simulated POST, when `requestLogLimit` > 0. */
  readonly requestLog: RequestLog;
  /** Replaced as a whole by PUT /sim/config. */
  config: SimConfig;
}

/** What an endpoint answers on success; `correct` feeds the correct/wrong answer counts. */
export interface EndpointResult {
  body: unknown;
  correct?: boolean;
}
