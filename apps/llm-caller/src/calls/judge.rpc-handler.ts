import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import { JudgeCompletionRequest, JudgeCompletionView, RpcSubjects } from '@yardstick/contracts';
import { JudgeCompletionsService } from './judge-completions.service';

@Injectable()
export class JudgeRpcHandler {
  constructor(private readonly judge: JudgeCompletionsService) {}

  @OnRequest(RpcSubjects.JudgeCompletion)
  complete(request: JudgeCompletionRequest): Promise<JudgeCompletionView> {
    return this.judge.complete(request);
  }
}
