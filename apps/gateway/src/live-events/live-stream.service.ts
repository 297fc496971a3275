import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { LiveEvent, LiveEventReader, LiveEventSubscription } from '@yardstick/bus';
import { LiveEventData } from '@yardstick/contracts';
import { SlowClientError, SseWriter } from './sse.writer';

/** What the client is told to wait before reconnecting (SSE `retry:`). */
const RETRY_MS = 2_000;
/** SSE comment lines on an idle stream, below common proxy idle timeouts (60 s). */
const HEARTBEAT_MS = 15_000;
/** Events pulled from JetStream ahead of what the client has taken: the per-connection buffer. */
const PULL_AHEAD = 64;
/** A client whose socket stays full this long is disconnected (it resumes later with Last-Event-ID). */
const MAX_STALL_MS = 30_000;

export interface LiveStreamOptions {
  /** The live subject (`LiveSubjects.run(id)`, `LiveSubjects.experiment(id)`). */
  subject: string;
  /** Resume after this event id (stream sequence); 0 = from the first event. */
  afterSequence: number;
  /** Whether the watched aggregate has already ended (read from its owner before streaming). */
  finished: boolean;
  /** The last event a client needs (a terminal status): the stream ends after it. */
  isFinal: (data: LiveEventData) => boolean;
  /** The public JSON of an event's data. */
  present: (data: LiveEventData) => unknown;
  /** For a finished aggregate whose events expired from the stream: its final event, built from its owner's state. */
  finalFromState: () => LiveEventData;
}

/**
 * Serves one SSE connection from stream PROGRESS: replays the subject's stored events after the client's
 * Last-Event-ID, then follows new ones, and ends after the final event. State lives in JetStream, not here, so any
 * gateway replica can serve any reconnect. Reusable for anything that publishes on a `LiveSubjects` subject.
 */
@Injectable()
export class LiveStreamService {
  private readonly logger = new Logger(LiveStreamService.name);

  constructor(private readonly reader: LiveEventReader) {}

  async stream(response: Response, options: LiveStreamOptions): Promise<void> {
    let endAt: number | undefined;
    let after = options.afterSequence;
    if (options.finished) {
      const last = await this.reader.last(options.subject);
      // Nothing newer than what the client has: 204 tells EventSource to stop reconnecting.
      if (last && last.sequence <= options.afterSequence) return void response.status(204).end();
      if (!last) return options.afterSequence > 0 ? void response.status(204).end() : this.answerFinalOnly(response, options);
      endAt = last.sequence;
    } else if (after > 0 && after > (await this.reader.streamSequence())) {
      // An id the stream never reached (it was lost and started over): replay from the start rather than wait forever.
      after = 0;
    }

    const subscription = await this.reader.open(options.subject, after, PULL_AHEAD);
    const writer = new SseWriter(response, MAX_STALL_MS);
    let closed = false;
    const close = () => {
      closed = true;
      void subscription.close().catch(() => undefined);
    };
    // The response's close is the client going away (the request's own close only means its body was read).
    response.on('close', close);
    if (response.destroyed) close();
    writer.open(RETRY_MS);
    const heartbeat = setInterval(() => writer.heartbeat(), HEARTBEAT_MS);
    try {
      await this.pipe(subscription, writer, options, endAt, () => closed);
    } catch (error) {
      if (error instanceof SlowClientError) this.logger.warn(`${options.subject}: ${error.message}, disconnecting`);
      else if (!closed) this.logger.warn(`${options.subject}: live stream interrupted: ${(error as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      response.off('close', close);
      await subscription.close().catch(() => undefined);
      writer.end();
    }
  }

  private async pipe(
    subscription: LiveEventSubscription, writer: SseWriter, options: LiveStreamOptions, endAt: number | undefined, isClosed: () => boolean,
  ): Promise<void> {
    for await (const event of subscription as AsyncIterable<LiveEvent>) {
      if (isClosed()) return;
      const data = event.envelope.data;
      await writer.event(data.type, options.present(data), event.sequence);
      // Also stop at the last stored event of a finished aggregate, in case its final event expired.
      if (options.isFinal(data) || (endAt !== undefined && event.sequence >= endAt)) return;
    }
  }

  private async answerFinalOnly(response: Response, options: LiveStreamOptions): Promise<void> {
    // An id, so a reconnect carries Last-Event-ID and is answered 204 instead of this event again.
    const id = Math.max(1, await this.reader.streamSequence());
    const data = options.finalFromState();
    const writer = new SseWriter(response, MAX_STALL_MS);
    writer.open(RETRY_MS);
    await writer.event(data.type, options.present(data), id).catch(() => undefined);
    writer.end();
  }
}
