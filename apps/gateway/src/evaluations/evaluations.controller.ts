import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects } from '@yardstick/contracts';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateEvaluationBody, ListEvaluationsQuery } from './dto/create-evaluation.body';
import { presentRun, presentRunItem } from './evaluation.presenter';
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

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentRun(await this.rpc.request(RpcSubjects.GetRun, { projectId, runId: id }, this.env.RPC_TIMEOUT_MS));
  }

  @Get(':id/items')
  async items(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListRunItems, { projectId, runId: id, limit: page.limit, offset: page.offset },
      this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map(presentRunItem) };
  }
}
