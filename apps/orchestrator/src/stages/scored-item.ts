import { ItemScoredEvent, ScoredPageItem, ScorerSpec } from '@yardstick/contracts';
import { BulkScores } from './item-results.repository';
import { weightedScore } from './weighted-score';

/**
 * What is stored of a scored item: its weighted total, the scores and verdicts by scorer, the scorers that had no score
 * (an unreadable judge answer: shown on the item and left out of the total) and what the scorers' provider calls used.
 */
export function scoredItemRecord(scorers: ScorerSpec[], scored: ItemScoredEvent | ScoredPageItem): BulkScores {
  const scores = Object.fromEntries(scored.results.map((r) => [r.scorer, r.value]));
  return {
    itemId: scored.itemId,
    score: weightedScore(scorers, scores),
    scores,
    scorerErrors: Object.fromEntries((scored.errors ?? []).map((e) => [e.scorer, { code: e.code, message: e.message.slice(0, 2000) }])),
    verdicts: Object.fromEntries(scored.results.filter((r) => r.passed !== undefined).map((r) => [r.scorer, r.passed as boolean])),
    outcome: scored.usage ? {
      usage: scored.usage, latencyMs: scored.latencyMs ?? 0, costUsd: scored.costUsd ?? 0,
      cacheHit: scored.cacheHit, savedTokens: scored.savedTokens, savedCostUsd: scored.savedCostUsd,
    } : null,
  };
}
