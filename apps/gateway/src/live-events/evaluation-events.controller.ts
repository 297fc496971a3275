import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BusRpcClient } from '@yardstick/bus';
import { LiveEventData, LiveEventType, LiveSubjects, RpcSubjects, RunView, TERMINAL_RUN_STATUSES } from '@yardstick/contracts';
import { GatewayEnv } from '../config/gateway.env';
import { CurrentProject } from '../tenancy/project.resolver';
import { LiveEventsQuery } from './dto/live-events.query';
import { resumeAfter } from './last-event-id';
import { presentLiveEvent } from './live-event.presenter';
import { LiveStreamService } from './live-stream.service';

/** The end of the run's current attempt: an earlier attempt's end (before a retry) is read through. */
const endsAttempt = (attempt: number) => (data: LiveEventData) =>
  data.type === LiveEventType.Status && TERMINAL_RUN_STATUSES.includes(data.status) && data.attempt >= attempt;

@ApiTags('evaluations')
@Controller('evaluations')
export class EvaluationEventsController {
  constructor(
    private readonly live: LiveStreamService,
    private readonly rpc: BusRpcClient,
    private readonly env: GatewayEnv,
  ) {}

  /** Live progress of a run as Server-Sent Events, replayable after a reconnect from any gateway replica. */
  @Get(':id/events')
  @ApiOperation({
    summary: 'Live progress (Server-Sent Events)',
    description: 'Events `progress` (counts, throttled), `items` (items that finished, batched) and `status` (status changes; the stream '
      + 'ends after the terminal one). Each event\'s `id` is its position in the stream: reconnect with `Last-Event-ID` (or '
      + '`?last_event_id=`) to receive every later event exactly once, in order. Comment lines every 15 s keep the connection open. '
      + '204 when the run has ended and the client has seen its last event.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' })
  @ApiResponse({ status: 200, description: 'The event stream (text/event-stream).' })
  @ApiResponse({ status: 204, description: 'The run has ended and the client has every event.' })
  @ApiResponse({ status: 404, description: 'No such run in the project.' })
  async events(
    @CurrentProject() projectId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query() query: LiveEventsQuery,
    @Res() response: Response,
  ): Promise<void> {
    const afterSequence = resumeAfter(lastEventId, query.last_event_id);
    const run = await this.rpc.request(RpcSubjects.GetRun, { projectId, runId: id }, this.env.RPC_TIMEOUT_MS);
    await this.live.stream(response, {
      subject: LiveSubjects.run(id),
      afterSequence,
      finished: TERMINAL_RUN_STATUSES.includes(run.status),
      isFinal: endsAttempt(run.attempt),
      present: presentLiveEvent,
      finalFromState: () => finalStatusOf(run),
    });
  }
}

function finalStatusOf(run: RunView): LiveEventData {
  return {
    type: LiveEventType.Status, runId: run.id, status: run.status, attempt: run.attempt, reason: run.error,
    itemsTotal: run.itemsTotal, itemsSucceeded: run.itemsSucceeded, itemsFailed: run.itemsFailed, score: run.score,
  };
}
