import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import { CreateRunRequest, GetRunRequest, ListRunItemsRequest, ListRunsRequest, Page, RpcSubjects, RunItemView, RunView } from '@yardstick/contracts';
import { OrchestratorEnv } from '../config/orchestrator.env';
import { RunControlService } from './run-control.service';
import { RunCreationService } from './run-creation.service';
import { RunViewsRepository } from './run-views.repository';

/** The gateway's questions about runs, answered over request/reply. */
@Injectable()
export class RunsRpcHandler {
  constructor(
    private readonly creation: RunCreationService,
    private readonly views: RunViewsRepository,
    private readonly control: RunControlService,
    private readonly env: OrchestratorEnv,
  ) {}

  @OnRequest(RpcSubjects.CreateRun)
  async createRun(request: CreateRunRequest): Promise<RunView> {
    const runId = await this.creation.create(request, this.env.DEFAULT_FAILURE_THRESHOLD);
    const view = await this.views.get(request.projectId, runId);
    // First dispatch; if this process dies here, the reconciler dispatches the pending items.
    void this.control.dispatchPending(runId).catch(() => undefined);
    return view;
  }

  @OnRequest(RpcSubjects.GetRun)
  getRun(request: GetRunRequest): Promise<RunView> {
    return this.views.get(request.projectId, request.runId);
  }

  @OnRequest(RpcSubjects.ListRuns)
  listRuns(request: ListRunsRequest): Promise<Page<RunView>> {
    return this.views.list(request);
  }

  @OnRequest(RpcSubjects.ListRunItems)
  listRunItems(request: ListRunItemsRequest): Promise<Page<RunItemView>> {
    return this.views.items(request);
  }

  @OnRequest(RpcSubjects.CancelRun)
  async cancelRun(request: GetRunRequest): Promise<RunView> {
    await this.control.cancel(request.projectId, request.runId);
    return this.views.get(request.projectId, request.runId);
  }

  @OnRequest(RpcSubjects.PauseRun)
  async pauseRun(request: GetRunRequest): Promise<RunView> {
    await this.control.pause(request.projectId, request.runId);
    return this.views.get(request.projectId, request.runId);
  }

  @OnRequest(RpcSubjects.ResumeRun)
  async resumeRun(request: GetRunRequest): Promise<RunView> {
    await this.control.resume(request.projectId, request.runId);
    return this.views.get(request.projectId, request.runId);
  }

  @OnRequest(RpcSubjects.RetryRun)
  async retryRun(request: GetRunRequest): Promise<RunView> {
    await this.control.retry(request.projectId, request.runId);
    return this.views.get(request.projectId, request.runId);
  }
}
