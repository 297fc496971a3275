import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import { CreateRunRequest, GetRunRequest, ListRunItemsRequest, ListRunsRequest, Page, RpcSubjects, RunItemView, RunView, Stage } from '@yardstick/contracts';
import { OrchestratorEnv } from '../config/orchestrator.env';
import { ItemStageRepository } from '../stages/item-stage.repository';
import { StageSettings } from '../stages/stage-settings';
import { WorkDispatcher } from '../stages/work-dispatcher';
import { RunCreationService } from './run-creation.service';
import { RunViewsRepository } from './run-views.repository';

const DISPATCH_CHUNK = 500;

/** The gateway's questions about runs, answered over request/reply. */
@Injectable()
export class RunsRpcHandler {
  constructor(
    private readonly creation: RunCreationService,
    private readonly views: RunViewsRepository,
    private readonly stages: ItemStageRepository,
    private readonly dispatcher: WorkDispatcher,
    private readonly settings: StageSettings,
    private readonly env: OrchestratorEnv,
  ) {}

  @OnRequest(RpcSubjects.CreateRun)
  async createRun(request: CreateRunRequest): Promise<RunView> {
    const runId = await this.creation.create(request, this.env.DEFAULT_FAILURE_THRESHOLD);
    const view = await this.views.get(request.projectId, runId);
    void this.startRun(runId);
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

  /** First dispatch right after creation; if this process dies here, the reconciler picks the pending items up. */
  private async startRun(runId: string): Promise<void> {
    for (;;) {
      const claimed = await this.stages.claimPending(runId, Stage.Responses, DISPATCH_CHUNK, this.settings.leaseMs).catch(() => []);
      await this.dispatcher.dispatch(claimed);
      if (claimed.length < DISPATCH_CHUNK) return;
    }
  }
}
