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
  cancelRun(request: GetRunRequest): Promise<RunView> {
    return this.controlled(request, () => this.control.cancel(request.projectId, request.runId));
  }

  @OnRequest(RpcSubjects.PauseRun)
  pauseRun(request: GetRunRequest): Promise<RunView> {
    return this.controlled(request, () => this.control.pause(request.projectId, request.runId));
  }

  @OnRequest(RpcSubjects.ResumeRun)
  resumeRun(request: GetRunRequest): Promise<RunView> {
    return this.controlled(request, () => this.control.resume(request.projectId, request.runId));
  }

  @OnRequest(RpcSubjects.RetryRun)
  retryRun(request: GetRunRequest): Promise<RunView> {
    return this.controlled(request, () => this.control.retry(request.projectId, request.runId));
  }

  /** Applies a user's transition and answers with the run as it is now. */
  private async controlled(request: GetRunRequest, transition: () => Promise<void>): Promise<RunView> {
    await transition();
    return this.views.get(request.projectId, request.runId);
  }
}
