import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BusRpcClient } from '@yardstick/bus';
import { RpcSubjects } from '@yardstick/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { CompareEvaluationsQuery, ExportEvaluationQuery, HumanScoreBody } from './dto/results.query';
import { EvaluationExportService } from './evaluation-export.service';
import { presentComparison, presentHumanScore } from './results.presenter';

/** Results of runs beyond the run view: comparison, export, human scores (docs/results.md). */
@ApiTags('evaluations')
@Controller('evaluations')
export class EvaluationResultsController {
  constructor(
    private readonly rpc: BusRpcClient,
    private readonly exports: EvaluationExportService,
    private readonly env: GatewayEnv,
  ) {}

  @Get('compare')
  @ApiOperation({ summary: 'Compare two finished runs on the same dataset, item by item (paired t-test and paired bootstrap).' })
  @ApiResponse({ status: 200, description: 'Deltas are candidate − base; items regressions first, paged by limit/offset.' })
  @ApiResponse({ status: 404, description: 'Either run does not exist in the project.' })
  @ApiResponse({ status: 409, description: 'Either run is still running or paused.' })
  @ApiResponse({ status: 422, description: 'The runs are on different datasets.' })
  async compare(@CurrentProject() projectId: string, @Query() query: CompareEvaluationsQuery) {
    return presentComparison(await this.rpc.request(RpcSubjects.CompareRuns, {
      projectId, baseRunId: query.base, candidateRunId: query.candidate, tieTolerance: query.tie_tolerance, limit: query.limit, offset: query.offset,
    }, this.env.RPC_TIMEOUT_MS));
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'Every item of the run (or, with group_by=question, every dataset row), one row each, streamed as CSV or JSON lines.' })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiResponse({ status: 200, description: 'The export, chunked; a failure midway aborts the connection (the chunked body never ends).' })
  @ApiResponse({ status: 404, description: 'No such run in the project.' })
  async export(
    @CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Query() query: ExportEvaluationQuery, @Res() response: Response,
  ): Promise<void> {
    const chunks = await this.exports.open(projectId, id, query.format, query.group_by);
    response.status(HttpStatus.OK);
    response.setHeader('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="evaluation-${id}${query.group_by ? `-by-${query.group_by}` : ''}.${query.format}"`);
    // pipeline honours backpressure and stops reading pages when the client goes away; an error midway destroys the socket,
    // so the chunked body never ends and the client sees a failed download rather than a short file.
    await pipeline(Readable.from(chunks), response).catch(() => response.destroy());
  }

  @Post(':id/items/:item_id/scores')
  @ApiOperation({ summary: 'Record a person\'s score of an item; one per rater per item, a repeat replaces it.' })
  @ApiResponse({ status: 201, description: 'The rater\'s first score of this item.' })
  @ApiResponse({ status: 200, description: 'The rater\'s earlier score of this item, replaced.' })
  @ApiResponse({ status: 400, description: 'Invalid body (value outside [0, 1], missing rater, …).' })
  @ApiResponse({ status: 404, description: 'No such run in the project, or no such item in the run.' })
  async recordHumanScore(
    @CurrentProject() projectId: string, @Param('id', ParseUUIDPipe) id: string, @Param('item_id', ParseUUIDPipe) itemId: string,
    @Body() body: HumanScoreBody, @Res({ passthrough: true }) response: Response,
  ) {
    const recorded = await this.rpc.request(RpcSubjects.RecordHumanScore, {
      projectId, runId: id, itemId, rater: body.rater, value: body.value, comment: body.comment,
    }, this.env.RPC_TIMEOUT_MS);
    response.status(recorded.created ? HttpStatus.CREATED : HttpStatus.OK);
    return presentHumanScore(recorded.score);
  }
}
