import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubject, RpcSubjects } from '@yardstick/contracts';
import { ApiException } from '../api/api.exception';
import { PageQuery } from '../api/page.query';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CreateExperimentBody, ExportFormat, ExportQuery } from './dto/create-experiment.body';
import { exportEnv, exportJson, exportMarkdown, exportYaml } from './experiment.exporter';
import { presentExperiment } from './experiment.presenter';
import { ExperimentsService } from './experiments.service';

const CONTENT_TYPE: Record<ExportFormat, string> = {
  [ExportFormat.Json]: 'application/json',
  [ExportFormat.Env]: 'text/plain; charset=utf-8',
  [ExportFormat.Yaml]: 'application/yaml; charset=utf-8',
  [ExportFormat.Markdown]: 'text/markdown; charset=utf-8',
};

@ApiTags('experiments')
@Controller('experiments')
export class ExperimentsController {
  constructor(
    private readonly experiments: ExperimentsService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** 201 with the experiment as a draft: its configs count and worst-case tokens/cost are in `estimate`; nothing runs before start. */
  @Post()
  async create(@CurrentProject() projectId: string, @Body() body: CreateExperimentBody) {
    return this.experiments.present(projectId, await this.experiments.create(projectId, body));
  }

  @Get()
  async list(@CurrentProject() projectId: string, @Query() page: PageQuery) {
    const result = await this.rpc.request(RpcSubjects.ListExperiments, { projectId, limit: page.limit, offset: page.offset }, this.env.RPC_TIMEOUT_MS);
    return { ...result, items: result.items.map((e) => presentExperiment(e)) };
  }

  @Get(':id')
  async get(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.experiments.present(projectId, await this.rpc.request(RpcSubjects.GetExperiment, { projectId, experimentId: id }, this.env.RPC_TIMEOUT_MS));
  }

  /** Configs ranked by weighted score; the formulas are returned with it. */
  @Get(':id/leaderboard')
  async leaderboard(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    const board = await this.rpc.request(RpcSubjects.ExperimentLeaderboard, { projectId, experimentId: id }, this.env.RPC_TIMEOUT_MS);
    return this.experiments.presentLeaderboard(projectId, board);
  }

  /** The best config (or `config=`) as json, env, yaml, or a Markdown report of the whole experiment. */
  @Get(':id/export')
  async export(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Query() query: ExportQuery, @Res() res: Response) {
    const [experiment, board] = await Promise.all([
      this.rpc.request(RpcSubjects.GetExperiment, { projectId, experimentId: id }, this.env.RPC_TIMEOUT_MS),
      this.rpc.request(RpcSubjects.ExperimentLeaderboard, { projectId, experimentId: id }, this.env.RPC_TIMEOUT_MS),
    ]);
    const entry = query.config ? board.entries.find((e) => e.configId === query.config) : board.entries[0];
    if (query.config && !entry) throw ApiException.notFound(`config of experiment ${id}:`, query.config);
    if (!entry && query.format !== ExportFormat.Markdown) throw ApiException.notFound(`finished config of experiment`, id);
    const saved = await this.experiments.savedConfigs(projectId, entry ? [entry.configId] : []);
    const body = query.format === ExportFormat.Markdown ? exportMarkdown(experiment, board)
      : query.format === ExportFormat.Env ? exportEnv(experiment, entry!, saved)
        : query.format === ExportFormat.Yaml ? exportYaml(experiment, entry!, board, saved)
          : JSON.stringify(exportJson(experiment, entry!, board, saved), null, 2);
    const extension = query.format === ExportFormat.Markdown ? 'md' : query.format;
    res.status(200).type(CONTENT_TYPE[query.format]).setHeader('content-disposition', `attachment; filename="experiment-${id}.${extension}"`);
    res.send(body);
  }

  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.StartExperiment, projectId, id);
  }

  /** No new config starts and the experiment's runs pause at item granularity. 409 unless running. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.PauseExperiment, projectId, id);
  }

  /** 409 unless paused. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.ResumeExperiment, projectId, id);
  }

  /** Cancels unfinished runs; finished configs stay on the leaderboard. 409 once the experiment has ended. */
  @Post(':id/stop')
  @HttpCode(200)
  stop(@CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.control(RpcSubjects.StopExperiment, projectId, id);
  }

  private async control(
    subject: RpcSubject & `rpc.orchestrator.${'start' | 'pause' | 'resume' | 'stop'}-experiment`, projectId: string, experimentId: string,
  ) {
    return this.experiments.present(projectId, await this.rpc.request(subject, { projectId, experimentId }, this.env.RPC_TIMEOUT_MS));
  }
}
