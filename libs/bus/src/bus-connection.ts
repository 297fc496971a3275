import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { BusNames } from './bus-names';
import { BUS_OPTIONS, BusOptions } from './bus.options';

/** The process's one NATS connection and its JetStream handles. */
@Injectable()
export class BusConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(BusConnection.name);
  private connection?: NatsConnection;
  private jsClient?: JetStreamClient;
  private jsManager?: JetStreamManager;
  readonly names: BusNames;

  constructor(@Inject(BUS_OPTIONS) readonly options: BusOptions) {
    this.names = new BusNames(options.prefix);
  }

  async connect(): Promise<void> {
    if (this.connection) return;
    this.connection = await connect({
      servers: this.options.servers.split(',').map((server) => server.trim()),
      name: this.options.serviceName,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Async stack traces cost an Error per request (every JetStream publish is one): measurable CPU at our rates.
      noAsyncTraces: true,
    });
    this.jsClient = jetstream(this.connection);
    this.jsManager = await jetstreamManager(this.connection);
    this.logger.log(`connected to NATS ${this.connection.getServer()}`);
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('bus is not connected');
    return this.connection;
  }

  get js(): JetStreamClient {
    if (!this.jsClient) throw new Error('bus is not connected');
    return this.jsClient;
  }

  get jsm(): JetStreamManager {
    if (!this.jsManager) throw new Error('bus is not connected');
    return this.jsManager;
  }

  /** Readiness: a round trip to the server. */
  async ping(): Promise<void> {
    if (!this.connection || this.connection.isClosed()) throw new Error('NATS connection closed');
    await this.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) {
      await this.connection.drain().catch((error: Error) => this.logger.warn(`drain failed: ${error.message}`));
    }
  }
}
