import { ConsumerInfo, jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { BusNames } from '@yardstick/bus';
import { ConsumerDefinition, StreamDefinition, Streams } from '@yardstick/contracts';
import { pollUntil } from './poll-until';

// JetStream observation for integration specs: what services published, consumer state, cleanup of a run's streams.

export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export interface ObservedMessage<T> {
  body: T;
  streamSequence: number;
}

/** The test's own connection to the bus: reads what services publish and removes the run's streams afterwards. */
export class BusProbe {
  readonly names: BusNames;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly prefix: string,
  ) {
    this.names = new BusNames(prefix);
  }

  static async connect(prefix: string): Promise<BusProbe> {
    const nc = await connect({ servers: TEST_NATS_URL, name: `test-probe-${prefix}` });
    return new BusProbe(nc, jetstream(nc), await jetstreamManager(nc), prefix);
  }

  /** The first message on a logical subject whose JSON body matches, reading the stream from its start. */
  async waitForMessage<T>(stream: StreamDefinition, subject: string, matches: (body: T) => boolean, timeoutMs = 10_000) {
    const consumer = await this.js.consumers.get(this.names.stream(stream), { filter_subjects: this.names.subject(subject) });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const message = await consumer.next({ expires: 1_000 });
      if (!message) continue;
      const body = message.json<T>();
      if (matches(body)) return { body, streamSequence: message.seq } satisfies ObservedMessage<T>;
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for a matching message on ${subject}`);
  }

  /** Publishes raw bytes on a logical subject, bypassing BusPublisher (to send what a broken producer would). */
  async publishRaw(subject: string, body: string, messageId: string): Promise<number> {
    const ack = await this.js.publish(this.names.subject(subject), body, { msgID: messageId });
    return ack.seq;
  }

  /** Resolves once the durable consumer has settled (acked or terminated) every message up to `streamSequence`. */
  async waitUntilSettled(definition: ConsumerDefinition, streamSequence: number, timeoutMs = 10_000): Promise<ConsumerInfo> {
    let last: ConsumerInfo | undefined;
    try {
      return await pollUntil(`${definition.durableName} to settle message ${streamSequence}`, async () => {
        last = await this.jsm.consumers.info(this.names.stream(definition.stream), definition.durableName);
        return last.ack_floor.stream_seq >= streamSequence ? last : undefined;
      }, { timeoutMs, intervalMs: 50 });
    } catch (error) {
      const state = last && `ack floor ${last.ack_floor.stream_seq}, ack pending ${last.num_ack_pending}, redelivered ${last.num_redelivered}`;
      throw new Error(`${(error as Error).message} (${state ?? 'no consumer info'})`);
    }
  }

  /** Resolves once the durable consumer has nothing left to deliver and nothing awaiting an ack (nor a scheduled redelivery). */
  async waitUntilIdle(definition: ConsumerDefinition, timeoutMs = 10_000): Promise<ConsumerInfo> {
    return pollUntil(`${definition.durableName} to become idle`, async () => {
      const info = await this.jsm.consumers.info(this.names.stream(definition.stream), definition.durableName);
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
    }, { timeoutMs, intervalMs: 50 });
  }

  async deleteStreams(): Promise<void> {
    for (const stream of Object.values(Streams)) {
      await this.jsm.streams.delete(this.names.stream(stream)).catch((error: Error) => {
        if (!/not found/i.test(error.message)) throw error;
      });
    }
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
  }
}
