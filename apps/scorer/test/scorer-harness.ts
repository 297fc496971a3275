import { parseScorerConfig, ScorerName } from '@yardstick/contracts';
import { Scorer, ScorerInput, ScoreValue } from '../src/scoring/scorer';
import { ScorerError } from '../src/scoring/scorer.error';

// Unit-spec helpers: a scorer run the way the service runs it, config validated by the contracts first.

/** Scores one output with the config as the API would send it (snake_case JSON); the config must be valid. */
export function scoreWith<N extends ScorerName>(scorer: Scorer<N, unknown, ScoreValue>, config: object | undefined, input: Partial<ScorerInput>): ScoreValue {
  const parsed = parseScorerConfig(scorer.name, config);
  if (!parsed.ok) throw new Error(`invalid test config: ${parsed.problems.join('; ')}`);
  return scorer.score({ output: '', groundTruth: '', ...input }, scorer.prepare(parsed.value));
}

/** The ScorerError `run` throws, or undefined when it returns. Any other error fails the test. */
export function scorerErrorOf(run: () => unknown): ScorerError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ScorerError) return error;
    throw error;
  }
  return undefined;
}
