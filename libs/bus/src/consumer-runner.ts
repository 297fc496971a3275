import { Logger } from '@nestjs/common';
import { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { ConsumerDefinition, MessageCatalog, MessageEnvelope, Subject, validatePlain } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { PermanentHandlerError, TransientHandlerError } from './handler-errors';
import { MessageContext, SubjectHandler } from './message-context';
import { redeliveryDelayMs } from './redelivery-delay';

/**
 * Pulls one durable consumer and runs its handler with bounded concurrency.
 * Ack after the handler returns (its effect is durable), nak with a delay on transient failure,
 * term and dead-letter on invalid messages, permanent failures and the last allowed delivery.
 */
export class ConsumerRunner {
  private readonly logger: Logger;
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private loop?: Promise<void>;

  constructor(
    private readonly bus: BusConnection,
    private readonly deadLetters: DeadLetterRecorder,
    private readonly definition: ConsumerDefinition,
    private readonly handler: SubjectHandler,
    private readonly concurrency: number,
    /** Declares the consumer (and its stream) again: called when the server says either is gone. */
    private readonly reprovision: () => Promise<void>,
  ) {
    this.logger = new Logger(`Consumer:${definition.durableName}`);
  }

  async start(): Promise<void> {
    const consumer = await this.bus.js.consumers.get(this.bus.names.stream(this.definition.stream), this.definition.durableName);
    // Short pull expiry: a missing consumer (lost store) is noticed within seconds, through missed heartbeats.
    this.messages = await consumer.consume({ max_messages: this.concurrency, expires: 5_000 });
    this.loop = this.run(this.messages);
    void this.watchStatus(this.messages);
  }

  /**
   * JetStream's store is not the source of truth and may be lost (a wiped or corrupted store): when the server
   * reports the stream or consumer missing, declare them again; the client resumes pulling once they exist.
   */
  private async watchStatus(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (this.stopping) return;
      if (status.type === 'consumer_not_found' || status.type === 'stream_not_found' || status.type === 'consumer_deleted') {
        this.logger.warn(`${status.type}: declaring ${this.definition.durableName} again`);
        await this.reprovision().catch((error: Error) => this.logger.warn(`re-declaring failed, will retry: ${error.message}`));
      }
    }
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      if (this.stopping) {
        message.nak();
        continue;
      }
      const task = this.handle(message).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
      while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    }
  }

  /** Stops pulling, lets in-flight handlers finish (up to the timeout); unfinished messages are redelivered later. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    const drained = Promise.all(this.inFlight);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    await this.loop?.catch(() => undefined);
  }

  private async handle(message: JsMsg): Promise<void> {
    const subject = this.definition.filterSubject as Subject;
    const deliveryCount = message.info.deliveryCount;
    const lastDelivery = deliveryCount >= this.definition.maxDeliver;
    const decoded = this.decode(message, subject);
    if (!decoded.ok) return this.giveUp(message, `invalid message: ${decoded.problems[0]}`, decoded.problems);

    const { envelope, payload } = decoded;
    const context: MessageContext = {
      messageId: envelope.id,
      subject,
      correlationId: envelope.correlation_id,
      occurredAt: envelope.occurred_at,
      deliveryCount,
      lastDelivery,
    };
    const heartbeat = setInterval(() => message.working(), Math.max(1_000, this.definition.ackWaitMs / 3));
    try {
      await this.handler(payload, context);
      message.ack();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentHandlerError) return this.giveUp(message, reason);
      if (lastDelivery) return this.giveUp(message, `gave up after ${deliveryCount} deliveries: ${reason}`);
      const delay = redeliveryDelayMs(deliveryCount, error instanceof TransientHandlerError ? error.retryAfterMs : undefined);
      if (!(error instanceof TransientHandlerError)) this.logger.warn(`handler failed (delivery ${deliveryCount}), retry in ${delay} ms: ${reason}`);
      message.nak(delay);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private decode(
    message: JsMsg,
    subject: Subject,
  ): { ok: true; envelope: MessageEnvelope; payload: unknown } | { ok: false; problems: string[] } {
    let raw: unknown;
    try {
      raw = message.json();
    } catch {
      return { ok: false, problems: ['body is not JSON'] };
    }
    const envelope = validatePlain(MessageEnvelope, raw);
    if (!envelope.ok) return envelope;
    const expected = MessageCatalog[subject];
    if (envelope.value.schema_version !== expected.schemaVersion) {
      return { ok: false, problems: [`schema_version ${envelope.value.schema_version} is not ${expected.schemaVersion}`] };
    }
    const payload = validatePlain(expected.payload as new () => object, envelope.value.data);
    if (!payload.ok) return payload;
    return { ok: true, envelope: envelope.value, payload: payload.value };
  }

  private async giveUp(message: JsMsg, reason: string, problems?: string[]): Promise<void> {
    try {
      await this.deadLetters.record({
        subject: this.bus.names.logicalSubject(message.subject),
        consumer: this.definition.durableName,
        streamSequence: message.info.streamSequence,
        deliveryCount: message.info.deliveryCount,
        reason,
        problems,
        payload: message.string(),
      });
      // No reason: nats-server < 2.10.4 ignores a term that carries one, leaving the message pending.
      message.term();
    } catch (error) {
      // Without a record we must not drop the message: let it come back.
      this.logger.error(`could not dead-letter: ${(error as Error).message}`);
      message.nak(5_000);
    }
  }
}
