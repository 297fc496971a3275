import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BusRpcClient } from '@yardstick/bus';
import {
  ExperimentStatus, ExperimentView, LiveEventData, LiveEventType, LiveSubjects, RpcSubjects, TERMINAL_EXPERIMENT_STATUSES,
} from '@yardstick/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { LiveEventsQuery } from './dto/live-events.query';
import { resumeAfter } from './last-event-id';
import { presentLiveEvent } from './live-event.presenter';
import { LiveStreamService } from './live-stream.service';

const isTerminalStatus = (data: LiveEventData) =>
  data.type === LiveEventType.ExperimentStatus && TERMINAL_EXPERIMENT_STATUSES.includes(data.status);

@ApiTags('experiments')
@Controller('experiments')
export class ExperimentEventsController {
  constructor(
    private readonly live: LiveStreamService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** Live progress of an experiment as Server-Sent Events, replayable after a reconnect from any gateway replica. */
  @Get(':id/events')
  @ApiOperation({
    summary: 'Live experiment progress (Server-Sent Events)',
    description: 'Events `experiment_status` (started, paused, resumed, and the terminal status, after which the stream ends), '
      + '`config_completed` (a config\'s run ended: params, score, cost), `new_best` and `experiment_progress` (configs planned, running, '
      + 'done; spending). Each event\'s `id` is its position in the stream: reconnect with `Last-Event-ID` (or `?last_event_id=`) to '
      + 'receive every later event exactly once, in order. 204 when the experiment has ended and the client has seen its last event.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' })
  @ApiResponse({ status: 200, description: 'The event stream (text/event-stream).' })
  @ApiResponse({ status: 204, description: 'The experiment has ended and the client has every event.' })
  @ApiResponse({ status: 404, description: 'No such experiment in the project.' })
  async events(
    @CurrentProject() projectId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query() query: LiveEventsQuery,
    @Res() response: Response,
  ): Promise<void> {
    const afterSequence = resumeAfter(lastEventId, query.last_event_id);
    const experiment = await this.rpc.request(RpcSubjects.GetExperiment, { projectId, experimentId: id }, this.env.RPC_TIMEOUT_MS);
    await this.live.stream(response, {
      subject: LiveSubjects.experiment(id),
      afterSequence,
      finished: TERMINAL_EXPERIMENT_STATUSES.includes(experiment.status),
      isFinal: isTerminalStatus,
      present: presentLiveEvent,
      finalFromState: () => finalStatusOf(experiment),
    });
  }
}

function finalStatusOf(experiment: ExperimentView): LiveEventData {
  return {
    type: LiveEventType.ExperimentStatus, experimentId: experiment.id, status: experiment.status,
    change: experiment.status as Extract<ExperimentStatus, 'completed' | 'stopped' | 'budget_exhausted'>, reason: experiment.statusReason,
    configsCompleted: experiment.configs.filter((config) => config.status === 'completed').length,
    bestConfigId: experiment.best?.configId ?? null, bestScore: experiment.best?.score ?? null,
    spentCostUsd: experiment.spent.costUsd, spentTokens: experiment.spent.tokens,
  };
}
