import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { LiveEventPublisher } from '@yardstick/bus';
import { LiveEventType, LiveItemResult, LiveSubjects, RunFinishedEvent, RunStatus } from '@yardstick/contracts';
import { KeyedThrottle } from './keyed-throttle';
import { RunLiveRepository } from './run-live.repository';

/** A run's snapshots and item batches leave at most this often per orchestrator replica. */
const FLUSH_INTERVAL_MS = 250;
/** A snapshot counts the run's items: a 100,000-item run's takes a while, and progress must not crowd out the work. */
const MAX_SNAPSHOT_BUSY_SHARE = 0.1;
/** Items per `items` event: a burst is split so one event stays far below NATS' max payload. */
const MAX_ITEMS_PER_EVENT = 500;
const IDLE_RUN_MS = 10 * 60_000;

type FinishedItem = Omit<LiveItemResult, 'itemIndex' | 'replicate'>;

/**
 * Publishes a run's live progress (`progress.run.<runId>`, stream PROGRESS) for SSE clients: item batches and count
 * snapshots, throttled per run; status changes; and, when the outbox relays the run's end, a final snapshot and then the
 * terminal status, always the run's last event from this replica. Message ids come from content (counts, item ids,
 * the transition), so a repeated publish inside the duplicate window is stored once.
 */
@Injectable()
export class RunLiveEvents implements OnModuleDestroy {
  private readonly logger = new Logger(RunLiveEvents.name);
  private readonly throttle = new KeyedThrottle<FinishedItem>({ intervalMs: FLUSH_INTERVAL_MS, maxBusyShare: MAX_SNAPSHOT_BUSY_SHARE }, (runId, items) => this.publishChanges(runId, items));
  private readonly sweeper = setInterval(() => this.throttle.forgetIdle(IDLE_RUN_MS), 60_000).unref();

  constructor(
    private readonly publisher: LiveEventPublisher,
    private readonly runs: RunLiveRepository,
  ) {}

  /** An item reached a final state (its change is committed); published with the run's next batch. */
  itemFinished(runId: string, itemId: string, state: FinishedItem['state'], score: number | null): void {
    this.throttle.add(runId, { itemId, state, score });
  }

  /**
   * A non-terminal status change (paused, running again). `cause` tells this change from others of the same status
   * in the same attempt (a user's request, or the failed work that paused the run). Never throws: progress is advisory.
   */
  async statusChanged(runId: string, status: RunStatus, reason: string | null, cause: string): Promise<void> {
    await this.throttle.flushNow(runId, async () => {
      const run = await this.runs.snapshot(runId);
      if (!run) return;
      await this.publisher.publish(LiveSubjects.run(runId), { type: LiveEventType.Status, runId, status, attempt: run.attempt, reason }, {
        messageId: `${runId}:${run.attempt}:${status}:${cause}`, correlationId: runId,
      });
    }).catch((error: Error) => this.logger.warn(`live status ${status} of ${runId} not published: ${error.message}`));
  }

  /**
   * The run's end, called by the outbox relay with the finished event it relays: throws so the relay retries,
   * which makes the terminal status as certain as the webhook event.
   */
  async runFinished(finishedEventId: string, event: RunFinishedEvent): Promise<void> {
    // The finished event's id is `<runId>:<status>:<run attempt>` (docs/subjects.md): the attempt that ended, even if
    // the run was retried since.
    const ended = Number(finishedEventId.split(':').at(-1));
    await this.throttle.flushNow(event.runId, async () => {
      const attempt = Number.isInteger(ended) ? ended : ((await this.runs.snapshot(event.runId))?.attempt ?? 1);
      await this.publisher.publish(LiveSubjects.run(event.runId), {
        type: LiveEventType.Status, runId: event.runId, status: event.status, attempt, reason: event.error ?? null,
        itemsTotal: event.itemsTotal, itemsSucceeded: event.itemsSucceeded, itemsFailed: event.itemsFailed, score: event.score,
      }, { messageId: `${finishedEventId}:live`, correlationId: event.runId });
    }, true);
    this.throttle.forget(event.runId);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    await this.throttle.flushAll();
  }

  /** The run's finished items since the last flush, then a snapshot of its counts. */
  private async publishChanges(runId: string, items: FinishedItem[]): Promise<void> {
    const run = await this.runs.snapshot(runId);
    if (!run) return;
    const subject = LiveSubjects.run(runId);
    const positions = items.length ? await this.runs.itemPositions(items.map((item) => item.itemId)) : new Map();
    for (let start = 0; start < items.length; start += MAX_ITEMS_PER_EVENT) {
      const chunk = items.slice(start, start + MAX_ITEMS_PER_EVENT).map((item) => ({
        ...item, itemIndex: positions.get(item.itemId)?.itemIndex ?? -1, replicate: positions.get(item.itemId)?.replicate ?? 0,
      }));
      const digest = createHash('sha1').update(chunk.map((item) => `${item.itemId}:${item.state}`).join(',')).digest('hex').slice(0, 20);
      await this.publisher.publish(subject, { type: LiveEventType.Items, runId, items: chunk }, {
        messageId: `${runId}:${run.attempt}:items:${digest}`, correlationId: runId,
      });
    }
    await this.publisher.publish(subject, {
      type: LiveEventType.Progress, runId, status: run.status, attempt: run.attempt, itemsTotal: run.total, itemsSucceeded: run.succeeded,
      itemsFailed: run.failed, itemsInProgress: run.inProgress, score: { mean: run.scoreMean, count: run.scoreCount },
    }, { messageId: `${runId}:${run.attempt}:progress:${run.status}:${run.succeeded}:${run.failed}:${run.inProgress}`, correlationId: runId });
  }
}
