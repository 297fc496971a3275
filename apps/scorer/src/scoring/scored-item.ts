import { StageError } from '@yardstick/contracts';
import { JudgeCallError } from './judge/judge-call.error';
import { ScorerError, SCORER_ERROR_STAGE_CODE } from './scorer.error';
import { ScoredItem } from './scoring.service';

/** What an ItemScored event (or a page's results line) says of a scored item, beyond its reference. */
export function scoredFields({ results, errors, spend }: ScoredItem) {
  return {
    results,
    ...(errors.length ? { errors } : {}),
    ...(spend ? {
      usage: spend.usage, latencyMs: spend.latencyMs, costUsd: spend.costUsd, cacheHit: spend.cacheHit, savedTokens: spend.savedTokens,
      savedCostUsd: spend.savedCostUsd, ...(spend.warnings?.length ? { warnings: spend.warnings } : {}),
    } : {}),
  };
}

/** The stage error an item that cannot be scored fails with; null for an error that is not the item's (retry the message). */
export function stageErrorOf(error: unknown): StageError | null {
  if (error instanceof ScorerError) return { code: SCORER_ERROR_STAGE_CODE, message: error.message, retryable: false };
  if (error instanceof JudgeCallError) return error.stageError;
  return null;
}
