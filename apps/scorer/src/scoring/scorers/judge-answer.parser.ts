import { JudgeScale } from '@yardstick/contracts';

export type JudgeScoreParse = { ok: true; score: number; value: number } | { ok: false; reason: string };

const SCALES: Record<JudgeScale, { min: number; max: number }> = { '1-10': { min: 1, max: 10 }, '0-5': { min: 0, max: 5 } };

// A number not glued to a letter or digit ("v2", "gpt-4", "3rd" are not scores); a leading minus is kept so -3 is refused.
const NUMBER = String.raw`(?<![\p{L}\d.])(?<!\p{L}-)(-?\d+(?:\.\d+)?)(?![\d\p{L}])`;
/** "7/10", "7 / 10", "7 out of 10". */
const FRACTION = new RegExp(`${NUMBER}\\s*(?:/|out\\s+of)\\s*(\\d+)`, 'giu');
/** "Score: 7", "rating = 7", "score of 7", "grade is 7", "I give it a 7". */
const LABELLED = new RegExp(`(?:score|rating|grade|give\\s+(?:it\\s+)?(?:a\\s+)?)\\s*(?:of|is|:|=|-|–)?\\s*${NUMBER}`, 'giu');
const ANY_NUMBER = new RegExp(NUMBER, 'gu');

/** The bounds of a scale, for the judge prompt. */
export function scaleBounds(scale: JudgeScale): { min: number; max: number } {
  return SCALES[scale];
}

/**
 * The score a judge gave, read robustly: "7", "7/10", "Score: 7", "I'd say 7/10", "**8** / 10". The most explicit form found
 * decides (a fraction, then a labelled score, then a lone number). Refused rather than guessed: no number, several different
 * scores, a fraction over another scale ("7/10" when the scale is 0-5), or a score outside the scale. The value is the score
 * normalised to [0, 1] (1-10: (score - 1) / 9; 0-5: score / 5).
 */
export function parseJudgeScore(answer: string, scale: JudgeScale): JudgeScoreParse {
  const { min, max } = SCALES[scale];
  // Markdown emphasis and code marks around a score ("**8**/10", "`7`") are formatting, not content.
  const text = answer.replace(/[*_`~]/g, '').trim();
  if (!text) return { ok: false, reason: 'the judge answered nothing' };

  const fractions = [...text.matchAll(FRACTION)].map((m) => ({ score: Number(m[1]), over: Number(m[2]) }));
  let candidates: number[];
  if (fractions.length) {
    const foreign = fractions.find((f) => f.over !== max);
    if (foreign) return { ok: false, reason: `the judge scored ${foreign.score}/${foreign.over}, not on the ${scale} scale` };
    candidates = fractions.map((f) => f.score);
  } else {
    const labelled = [...text.matchAll(LABELLED)].map((m) => Number(m[1]));
    candidates = labelled.length ? labelled : [...text.matchAll(ANY_NUMBER)].map((m) => Number(m[1]));
  }
  const distinct = [...new Set(candidates)];
  if (distinct.length === 0) return { ok: false, reason: 'no score found in the judge answer' };
  if (distinct.length > 1) return { ok: false, reason: `the judge answer is ambiguous: it gives ${distinct.join(', ')}` };
  const score = distinct[0];
  if (score < min || score > max) return { ok: false, reason: `the judge scored ${score}, outside the ${scale} scale` };
  return { ok: true, score, value: (score - min) / (max - min) };
}
