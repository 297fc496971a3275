import { Injectable } from '@nestjs/common';
import { OnRequest } from '@yardstick/bus';
import {
  CreateExperimentRequest, ExperimentRequest, ExperimentView, LeaderboardView, ListExperimentsRequest, Page, RpcSubjects,
  ServiceErrorCode, ServiceException,
} from '@yardstick/contracts';
import { ExperimentViews } from './experiment-views';
import { ExperimentsRepository } from './experiments.repository';
import { ExperimentsService } from './experiments.service';
import { LEADERBOARD_FORMULA, LeaderboardRepository } from './leaderboard.repository';

/** The gateway's questions and commands about experiments, over request/reply. */
@Injectable()
export class ExperimentsRpcHandler {
  constructor(
    private readonly service: ExperimentsService,
    private readonly views: ExperimentViews,
    private readonly experiments: ExperimentsRepository,
    private readonly leaderboard: LeaderboardRepository,
  ) {}

  @OnRequest(RpcSubjects.CreateExperiment)
  async create(request: CreateExperimentRequest): Promise<ExperimentView> {
    return this.views.get(request.projectId, await this.service.create(request));
  }

  @OnRequest(RpcSubjects.GetExperiment)
  get(request: ExperimentRequest): Promise<ExperimentView> {
    return this.views.get(request.projectId, request.experimentId);
  }

  @OnRequest(RpcSubjects.ListExperiments)
  list(request: ListExperimentsRequest): Promise<Page<ExperimentView>> {
    return this.views.list(request.projectId, request.limit, request.offset);
  }

  @OnRequest(RpcSubjects.StartExperiment)
  start(request: ExperimentRequest): Promise<ExperimentView> {
    return this.controlled(request, () => this.service.start(request.projectId, request.experimentId));
  }

  @OnRequest(RpcSubjects.PauseExperiment)
  pause(request: ExperimentRequest): Promise<ExperimentView> {
    return this.controlled(request, () => this.service.pause(request.projectId, request.experimentId));
  }

  @OnRequest(RpcSubjects.ResumeExperiment)
  resume(request: ExperimentRequest): Promise<ExperimentView> {
    return this.controlled(request, () => this.service.resume(request.projectId, request.experimentId));
  }

  @OnRequest(RpcSubjects.StopExperiment)
  stop(request: ExperimentRequest): Promise<ExperimentView> {
    return this.controlled(request, () => this.service.stop(request.projectId, request.experimentId));
  }

  @OnRequest(RpcSubjects.ExperimentLeaderboard)
  async getLeaderboard(request: ExperimentRequest): Promise<LeaderboardView> {
    if (!(await this.experiments.find(request.experimentId, request.projectId))) {
      throw new ServiceException(ServiceErrorCode.NotFound, `experiment ${request.experimentId} not found`);
    }
    return { experimentId: request.experimentId, formula: LEADERBOARD_FORMULA, entries: await this.leaderboard.entries(request.experimentId) };
  }

  private async controlled(request: ExperimentRequest, transition: () => Promise<void>): Promise<ExperimentView> {
    await transition();
    return this.views.get(request.projectId, request.experimentId);
  }
}
