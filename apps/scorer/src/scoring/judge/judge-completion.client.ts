import { Injectable } from '@nestjs/common';
import { BusRpcClient } from '@yardstick/bus';
import {
  JudgeCompletionFailureDetails, JudgeCompletionRequest, JudgeCompletionView, RpcSubjects, ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { ScorerEnv } from '../../config/scorer.env';
import { JudgeCallError } from './judge-call.error';

/** Asks llm-caller for one judge completion. */
export abstract class JudgeClient {
  /** Throws a JudgeCallError when no completion could be had. */
  abstract complete(request: JudgeCompletionRequest): Promise<JudgeCompletionView>;
}

/** Over the bus (request/reply): llm-caller makes the call with the cache, rate limits, prices and result ledger. */
@Injectable()
export class BusJudgeClient extends JudgeClient {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly env: ScorerEnv,
  ) {
    super();
  }

  async complete(request: JudgeCompletionRequest): Promise<JudgeCompletionView> {
    try {
      return await this.rpc.request(RpcSubjects.JudgeCompletion, request, this.env.JUDGE_TIMEOUT_MS);
    } catch (error) {
      if (!(error instanceof ServiceException)) throw error;
      const stageError = (error.details as Partial<JudgeCompletionFailureDetails> | undefined)?.stageError;
      if (stageError) throw new JudgeCallError(stageError);
      // llm-caller unreachable or slower than the timeout: retried; its ledger keeps a finished call from being paid twice.
      const retryable = error.code === ServiceErrorCode.Unavailable || error.code === ServiceErrorCode.Internal;
      throw new JudgeCallError({ code: retryable ? 'judge_unavailable' : 'judge_rejected', message: `judge call: ${error.message}`, retryable });
    }
  }
}
