import { Injectable } from '@nestjs/common';
import { LIVE_EVENT_SCHEMA_VERSION, LiveEventData, MessageEnvelope } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';
import { StreamProvisioner } from './stream-provisioner';
import { isNoStream, PublishOptions } from './bus.publisher';

/**
 * Publishes live progress (`LiveSubjects`, stream `PROGRESS`) in the usual envelope. Unlike `BusPublisher` the subject
 * carries an id, so it is not in the MessageCatalog; nothing consumes these durably: API clients read them through
 * `LiveEventReader`.
 */
@Injectable()
export class LiveEventPublisher {
  constructor(
    private readonly bus: BusConnection,
    private readonly provisioner: StreamProvisioner,
  ) {}

  /** Waits for JetStream's ack; `options.messageId` (the Nats-Msg-Id) makes a repeat inside the window a no-op. */
  async publish(subject: string, data: LiveEventData, options: PublishOptions): Promise<{ duplicate: boolean; sequence: number }> {
    const envelope: MessageEnvelope<LiveEventData> = {
      id: options.messageId,
      subject,
      schema_version: LIVE_EVENT_SCHEMA_VERSION,
      occurred_at: new Date().toISOString(),
      correlation_id: options.correlationId,
      data,
    };
    const send = async () => {
      const ack = await this.bus.js.publish(this.bus.names.subject(subject), JSON.stringify(envelope), { msgID: options.messageId });
      return { duplicate: ack.duplicate, sequence: ack.seq };
    };
    try {
      return await send();
    } catch (error) {
      if (!isNoStream(error)) throw error;
      await this.provisioner.ensureStreams();
      return send();
    }
  }
}
