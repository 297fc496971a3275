import { ScorerName } from '@yardstick/contracts';
import type { ProviderSpend } from './scorer';

/** The `code` of the ItemStageFailed error published when an item cannot be scored. */
export const SCORER_ERROR_STAGE_CODE = 'scorer_error';

export enum ScorerErrorCode {
  MissingInput = 'missing_input',
  DimensionMismatch = 'dimension_mismatch',
  ZeroVector = 'zero_vector',
  NonFiniteInput = 'non_finite_input',
  UnknownScorer = 'unknown_scorer',
  InvalidValue = 'invalid_value',
  /** The run's config for the scorer is invalid; the gateway checks configs, so only an older run or another producer sends one. */
  InvalidConfig = 'invalid_config',
  /** A regex or schema ran over its time limit on the output (catastrophic backtracking). */
  TimeLimitExceeded = 'time_limit_exceeded',
  /** Checking the output threw, e.g. a recursive schema on output nested deeper than the stack allows. */
  CheckFailed = 'check_failed',
  /** The judge model answered, but not with one score on the scale. */
  UnparseableJudgement = 'unparseable_judgement',
}

/** The input makes scoring impossible; scoring it again gives the same answer, so it is never retried. */
export class ScorerError extends Error {
  constructor(
    readonly scorer: ScorerName,
    readonly code: ScorerErrorCode,
    message: string,
  ) {
    super(`${scorer}: ${message}`);
    this.name = 'ScorerError';
  }
}

/**
 * The scorer ran but has no score for this item (the judge's answer held no readable score). Unlike a ScorerError it does not
 * fail the item: the error is shown under the item's scores, the other scorers' scores stand, and the total leaves this scorer
 * out. It carries what the provider call cost, which the run still pays.
 */
export class ScoreUnavailableError extends ScorerError {
  constructor(scorer: ScorerName, code: ScorerErrorCode, message: string, readonly spend?: ProviderSpend) {
    super(scorer, code, message);
    this.name = 'ScoreUnavailableError';
  }
}
