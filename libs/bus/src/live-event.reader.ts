import { Injectable, Logger } from '@nestjs/common';
import { LiveEventData, MessageEnvelope, Streams } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

/** One stored live event: its JetStream stream sequence (the SSE `id`) and its envelope. */
export interface LiveEvent {
  sequence: number;
  envelope: MessageEnvelope<LiveEventData>;
}

/** A reader's view of one subject, in stream order; `close()` deletes its server-side consumer. */
export interface LiveEventSubscription extends AsyncIterable<LiveEvent> {
  close(): Promise<void>;
}

/** How long the server keeps a reader's consumer after its process vanished without closing it. */
const ABANDONED_CONSUMER_MS = 30_000;

/**
 * Reads live events back from stream `PROGRESS` with an ephemeral ordered consumer filtered on one subject, so
 * any gateway replica can serve a reconnecting client: nothing is kept in a process's memory.
 */
@Injectable()
export class LiveEventReader {
  private readonly logger = new Logger(LiveEventReader.name);

  constructor(private readonly bus: BusConnection) {}

  /**
   * The subject's events with a sequence greater than `afterSequence` (0: from the first), then new ones as they
   * are stored. At most `bufferSize` messages are pulled ahead of the caller: a slow caller slows the pull.
   */
  async open(subject: string, afterSequence: number, bufferSize: number): Promise<LiveEventSubscription> {
    const consumer = await this.bus.js.consumers.get(this.bus.names.stream(Streams.Progress), {
      filter_subjects: this.bus.names.subject(subject),
      opt_start_seq: afterSequence + 1,
      inactive_threshold: ABANDONED_CONSUMER_MS,
    });
    const messages = await consumer.consume({ max_messages: bufferSize });
    const logger = this.logger;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const message of messages) {
          try {
            yield { sequence: message.seq, envelope: message.json<MessageEnvelope<LiveEventData>>() };
          } catch {
            logger.warn(`skipping live event #${message.seq} on ${subject}: body is not JSON`);
          }
        }
      },
      async close() {
        await messages.close();
        await consumer.delete().catch(() => undefined);
      },
    };
  }

  /** The stream's latest sequence (of any subject): an id for an event made up from Postgres instead of read from the stream. */
  async streamSequence(): Promise<number> {
    return (await this.bus.jsm.streams.info(this.bus.names.stream(Streams.Progress))).state.last_seq;
  }

  /** The subject's latest stored event, or null when it has none (never published, or expired). */
  async last(subject: string): Promise<LiveEvent | null> {
    const stored = await this.bus.jsm.streams.getMessage(this.bus.names.stream(Streams.Progress), {
      last_by_subj: this.bus.names.subject(subject),
    });
    return stored ? { sequence: stored.seq, envelope: stored.json<MessageEnvelope<LiveEventData>>() } : null;
  }
}
