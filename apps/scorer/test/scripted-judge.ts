import { JudgeCompletionRequest, JudgeCompletionView } from '@yardstick/contracts';
import { JudgeClient } from '../src/scoring/judge/judge-completion.client';

/** Unit-spec judge: answers each call with the next scripted answer (the last one repeats) and records the requests. */
export class ScriptedJudge extends JudgeClient {
  readonly requests: JudgeCompletionRequest[] = [];

  constructor(private readonly answers: Array<string | Error> = ['Score: 10/10'], private readonly costUsd = 0.0002) {
    super();
  }

  async complete(request: JudgeCompletionRequest): Promise<JudgeCompletionView> {
    this.requests.push(request);
    const answer = this.answers[Math.min(this.requests.length - 1, this.answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return {
      output: answer, usage: { inputTokens: 120, outputTokens: 5, totalTokens: 125 }, latencyMs: 40, costUsd: this.costUsd,
      cacheHit: false, savedTokens: 0, savedCostUsd: 0,
    };
  }
}
