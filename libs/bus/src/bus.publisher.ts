import { Injectable } from '@nestjs/common';
import { MessageCatalog, MessageEnvelope, PayloadOf, Subject } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

export interface PublishOptions {
  /**
   * The work's identity (e.g. `<item>:<stage>:<attempt>`): becomes the envelope id and `Nats-Msg-Id`,
   * so a repeated publish inside the stream's duplicate window is stored once.
   */
  messageId: string;
  /** The run the message belongs to. */
  correlationId: string;
}

@Injectable()
export class BusPublisher {
  constructor(private readonly bus: BusConnection) {}

  /** Publishes and waits for JetStream's ack: when this resolves the message is stored. Returns whether it was a duplicate. */
  async publish<S extends Subject>(subject: S, data: PayloadOf<S>, options: PublishOptions): Promise<{ duplicate: boolean }> {
    const envelope: MessageEnvelope<PayloadOf<S>> = {
      id: options.messageId,
      subject,
      schema_version: MessageCatalog[subject].schemaVersion,
      occurred_at: new Date().toISOString(),
      correlation_id: options.correlationId,
      data,
    };
    const ack = await this.bus.js.publish(this.bus.names.subject(subject), JSON.stringify(envelope), {
      msgID: options.messageId,
    });
    return { duplicate: ack.duplicate };
  }
}
