import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher } from '@yardstick/bus';
import { PayloadOf, RunFinishedEvent, Subject, Subjects } from '@yardstick/contracts';
import { EXPERIMENT_LIVE_SUBJECTS, ExperimentLiveEvents } from '../live/experiment-live-events';
import { RunLiveEvents } from '../live/run-live-events';
import { OutboxMessageEntity } from './outbox-message.entity';

/** Rows announcing a run's end: relaying one also ends the run's live progress (RunLiveEvents). */
const RUN_FINISHED_SUBJECTS: string[] = [Subjects.RunCompleted, Subjects.RunFailed, Subjects.RunCancelled];

/**
 * Events are written to the outbox in the transaction that makes them true, then relayed.
 * A crash between commit and publish leaves the row unpublished and the reconciler relays it;
 * a rolled-back change leaves no row. Nats-Msg-Id = outbox id, so a re-relay inside the window is dropped.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: BusPublisher,
    private readonly live: RunLiveEvents,
    private readonly experimentLive: ExperimentLiveEvents,
  ) {}

  async enqueue<S extends Subject>(manager: EntityManager, subject: S, payload: PayloadOf<S>, id: string, correlationId: string) {
    await manager.createQueryBuilder().insert().into(OutboxMessageEntity)
      .values({ id, subject, correlationId, payload: payload as object }).orIgnore().execute();
  }

  /** Publishes unpublished rows (all of them, or the given ids); safe to run from every replica at once. */
  async relay(ids?: string[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxMessageEntity[] = await manager.query(
        `SELECT id, subject, correlation_id AS "correlationId", payload FROM outbox
         WHERE published_at IS NULL ${ids ? 'AND id = ANY($1::text[])' : ''}
         ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
        ids ? [ids] : [],
      );
      for (const row of rows) {
        await this.publisher.publish(row.subject as Subject, row.payload as PayloadOf<Subject>, {
          messageId: row.id, correlationId: row.correlationId,
        });
        // SSE clients learn the end from the same row, so the terminal live status is as certain as the webhook event.
        if (RUN_FINISHED_SUBJECTS.includes(row.subject)) await this.live.runFinished(row.id, row.payload as RunFinishedEvent);
        if (EXPERIMENT_LIVE_SUBJECTS.includes(row.subject)) await this.experimentLive.relayed(row.id, row.subject, row.payload);
      }
      if (rows.length) await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::text[])`, [rows.map((r) => r.id)]);
      return rows.length;
    }).catch((error: Error) => {
      this.logger.warn(`relay failed, will retry: ${error.message}`);
      return 0;
    });
  }
}
