import { LlmJudgeScorerConfig, ScorerName } from '@yardstick/contracts';
import { JudgeClient } from '../judge/judge-completion.client';
import { ProviderSpend, Scorer, ScorerInput, ScoreValue } from '../scorer';
import { ScorerError, ScorerErrorCode, ScoreUnavailableError } from '../scorer.error';
import { parseJudgeScore } from './judge-answer.parser';
import { JUDGE_INSTRUCTIONS, judgePrompt } from './judge-prompt';
import { excerpt } from './text-normalization';

const NAME = ScorerName.LlmJudge;
/** How much of the judge's answer is kept in the item's details or error. */
const ANSWER_EXCERPT_CHARS = 500;

/**
 * A judge model grades the output against the rubric; its score is normalised to [0, 1] (see parseJudgeScore). The call goes
 * through llm-caller, so it is cached, rate-limited, costed and recorded once per item. An answer without one readable score
 * on the scale is a ScoreUnavailableError (shown on the item, never a silent 0); a failed call is a JudgeCallError.
 */
export class LlmJudgeScorer implements Scorer<typeof NAME, LlmJudgeScorerConfig, Promise<ScoreValue>> {
  readonly name = NAME;

  constructor(private readonly judge: JudgeClient) {}

  prepare(config: LlmJudgeScorerConfig): LlmJudgeScorerConfig {
    return config;
  }

  async score(input: ScorerInput, config: LlmJudgeScorerConfig): Promise<ScoreValue> {
    const { runId, projectId, itemId, attempt } = input;
    if (!runId || !projectId || !itemId || !attempt) {
      throw new ScorerError(NAME, ScorerErrorCode.MissingInput, 'the judge call needs the item it scores (runId, projectId, itemId, attempt)');
    }
    const completion = await this.judge.complete({
      runId, projectId, itemId, attempt, scorer: NAME,
      endpointId: config.provider_endpoint_id, cacheMode: input.cacheMode,
      model: config.model,
      instructions: JUDGE_INSTRUCTIONS,
      input: judgePrompt({ rubric: config.rubric, scale: config.scale, question: input.question, groundTruth: input.groundTruth, output: input.output }),
      params: { temperature: config.temperature, ...(config.max_output_tokens === undefined ? {} : { maxOutputTokens: config.max_output_tokens }) },
    });
    const spend: ProviderSpend = {
      usage: completion.usage, latencyMs: completion.latencyMs, costUsd: completion.costUsd, cacheHit: completion.cacheHit,
      savedTokens: completion.savedTokens, savedCostUsd: completion.savedCostUsd, ...(completion.warnings ? { warnings: completion.warnings } : {}),
    };
    const answer = excerpt(completion.output, ANSWER_EXCERPT_CHARS);
    const parsed = parseJudgeScore(completion.output, config.scale);
    if (!parsed.ok) throw new ScoreUnavailableError(NAME, ScorerErrorCode.UnparseableJudgement, `${parsed.reason}; it answered ${JSON.stringify(answer)}`, spend);
    return {
      value: parsed.value,
      ...(config.threshold === undefined ? {} : { passed: parsed.value >= config.threshold }),
      details: { judge_score: parsed.score, scale: config.scale, judge_model: config.model, judge_answer: answer },
      spend,
    };
  }
}
