import { ScorerSpec } from '@yardstick/contracts';

/**
 * An item's total score: the weighted mean of the scores it has. A scorer without a score for the item
 * is left out of both sums (it neither counts as 0 nor drags the weights); no score at all gives null.
 */
export function weightedScore(scorers: ScorerSpec[], scores: Record<string, number>): number | null {
  let weighted = 0;
  let weights = 0;
  for (const { name, weight } of scorers) {
    const value = scores[name];
    if (value === undefined || !Number.isFinite(value)) continue;
    weighted += weight * value;
    weights += weight;
  }
  return weights > 0 ? weighted / weights : null;
}
