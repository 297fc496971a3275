import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubject, RpcSubjects } from '@yardstick/contracts';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateEvaluationBody, ListEvaluationsQuery } from './dto/create-evaluation.body';
import { presentRun, presentRunItem } from './evaluation.presenter';
import { presentAggregates } from './results.presenter';
import { EvaluationsService } from './evaluations.service';

@ApiTags('evaluations')
@Controller('evaluations')
export class EvaluationsController {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** 201 once the run and its items are committed in Postgres: a crash after this cannot lose it. */
  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateEvaluationBody) {
    return presentRun(await this.evaluations.create(projectId, body));
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() query: ListEvaluationsQuery) {
    const result = await this.rpc.request(RpcSubjects.ListRuns, { projectId, limit: query.limit, offset: query.offset, status: query.status },
      this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentRun) };
  }

  /** The run, with its result `aggregates` (per scorer, total, by category, consistency across replicates, human scores). */
  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const [run, aggregates] = await Promise.all([
      this.rpc.request(RpcSubjects.GetRun, { projectId, runId: id }, this.env.RPC_TIMEOUT_MS),
      this.rpc.request(RpcSubjects.RunAggregates, { projectId, runId: id }, this.env.RPC_TIMEOUT_MS),
    ]);
    return { ...presentRun(run), aggregates: presentAggregates(aggregates) };
  }

  @Get(':id/items')
  async items(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListRunItems, { projectId, runId: id, limit: page.limit, offset: page.offset },
      this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentRunItem) };
  }

  /** Stops the run: unfinished items are cancelled, finished ones keep their results. 409 unless running or paused. */
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.CancelRun, projectId, id);
  }

  /** Stops dispatching new work; calls already under way finish and are recorded. 409 unless running. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.PauseRun, projectId, id);
  }

  /** 409 unless paused. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.ResumeRun, projectId, id);
  }

  /** Runs the failed and cancelled items again; succeeded items are never called again. 409 unless finished with such items. */
  @Post(':id/retry')
  @HttpCode(200)
  retry(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.RetryRun, projectId, id);
  }

  private async control(subject: RpcSubject & `rpc.orchestrator.${'cancel' | 'pause' | 'resume' | 'retry'}-run`, projectId: string, runId: string) {
    return presentRun(await this.rpc.request(subject, { projectId, runId }, this.env.RPC_TIMEOUT_MS));
  }
}
