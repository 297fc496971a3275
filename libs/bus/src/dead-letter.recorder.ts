import { Injectable, Logger } from '@nestjs/common';
import { DEAD_LETTER_PREFIX } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

export interface DeadLetter {
  subject: string;
  consumer: string;
  streamSequence: number;
  deliveryCount: number;
  reason: string;
  problems?: string[];
  payload: string;
}

/** Keeps a durable record (stream `DLQ`, subject `dlq.<subject>`) of every message the bus gave up on. */
@Injectable()
export class DeadLetterRecorder {
  private readonly logger = new Logger(DeadLetterRecorder.name);

  constructor(private readonly bus: BusConnection) {}

  async record(letter: DeadLetter): Promise<void> {
    this.logger.error(`dead-lettered ${letter.subject} #${letter.streamSequence} (${letter.consumer}): ${letter.reason}`);
    const subject = this.bus.names.subject(`${DEAD_LETTER_PREFIX}.${letter.subject}`);
    await this.bus.js.publish(subject, JSON.stringify({ ...letter, recorded_at: new Date().toISOString() }), {
      msgID: `dlq:${letter.consumer}:${letter.streamSequence}`,
    });
  }
}
