import { Injectable, Logger } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ConsumerDefinition, StreamDefinition, Streams } from '@yardstick/contracts';
import { BusConnection } from './bus-connection';

/** Declares streams and durable consumers from contracts; safe to run from every replica at every start. */
@Injectable()
export class StreamProvisioner {
  private readonly logger = new Logger(StreamProvisioner.name);

  constructor(private readonly bus: BusConnection) {}

  async ensureStreams(definitions: readonly StreamDefinition[] = Object.values(Streams)): Promise<void> {
    for (const definition of definitions) await this.ensureStream(definition);
  }

  async ensureStream(definition: StreamDefinition): Promise<void> {
    const name = this.bus.names.stream(definition);
    const config = {
      name,
      subjects: definition.subjects.map((subject) => this.bus.names.subject(subject)),
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(definition.maxAgeMs),
      duplicate_window: nanos(definition.duplicateWindowMs),
    };
    try {
      await this.bus.jsm.streams.info(name);
      await this.bus.jsm.streams.update(name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.bus.jsm.streams.add(config).catch((addError: unknown) => {
        // Another replica created it between our info and add.
        if (!String((addError as Error).message).includes('already in use')) throw addError;
      });
      this.logger.log(`created stream ${name}`);
    }
  }

  async ensureConsumer(definition: ConsumerDefinition): Promise<void> {
    const stream = this.bus.names.stream(definition.stream);
    const config = {
      durable_name: this.bus.names.consumer(definition),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.bus.names.subject(definition.filterSubject),
      ack_wait: nanos(definition.ackWaitMs),
      max_deliver: definition.maxDeliver,
      max_ack_pending: definition.maxAckPending,
    };
    try {
      await this.bus.jsm.consumers.info(stream, config.durable_name);
      await this.bus.jsm.consumers.update(stream, config.durable_name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.bus.jsm.consumers.add(stream, config);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(String((error as Error)?.message ?? error));
}
