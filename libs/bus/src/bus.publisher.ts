import { Injectable } from '@nestjs/common';
import { MessageCatalog, MessageEnvelope, PayloadOf, Subject } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';
import { StreamProvisioner } from './stream-provisioner';

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
  constructor(
    private readonly bus: BusConnection,
    private readonly provisioner: StreamProvisioner,
  ) {}

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
    const send = () => this.bus.js.publish(this.bus.names.subject(subject), JSON.stringify(envelope), { msgID: options.messageId });
    try {
      return { duplicate: (await send()).duplicate };
    } catch (error) {
      // No stream answers the subject: the JetStream store was lost. Declare the streams again and retry once.
      if (!isNoStream(error)) throw error;
      await this.provisioner.ensureStreams();
      return { duplicate: (await send()).duplicate };
    }
  }
}

/** JetStream answered that no stream takes the subject (its store was lost). */
export function isNoStream(error: unknown): boolean {
  const text = `${(error as Error)?.name} ${(error as Error)?.message} ${String((error as Error)?.cause ?? '')}`;
  return /no responders|NoResponders|stream not found|503/i.test(text);
}
