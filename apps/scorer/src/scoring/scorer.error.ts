import { ScorerName } from '@yardstick/contracts';

/** The `code` of the ItemStageFailed error published when an item cannot be scored. */
export const SCORER_ERROR_STAGE_CODE = 'scorer_error';

export enum ScorerErrorCode {
  MissingInput = 'missing_input',
  DimensionMismatch = 'dimension_mismatch',
  ZeroVector = 'zero_vector',
  NonFiniteInput = 'non_finite_input',
  UnknownScorer = 'unknown_scorer',
  InvalidValue = 'invalid_value',
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
