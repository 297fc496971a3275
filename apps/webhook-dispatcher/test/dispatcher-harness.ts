import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BusPublisher, BusRpcClient } from '@yardstick/bus';
import {
  ExperimentEventBase, PayloadOf, RpcSubjects, RunFinishedEvent, RunMode, RunStatus, WebhookDeliveryView, WebhookEvent,
} from '@yardstick/contracts';
import { runMigrations } from '@yardstick/persistence';
import { loadEnvironment } from '@yardstick/service-runtime';
import { BusProbe, TEST_NATS_URL, pollUntil, uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { WebhookDispatcherEnv } from '../src/config/webhook-dispatcher.env';
import { webhookDispatcherPersistence } from '../src/webhook-dispatcher.persistence';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The webhook dispatcher in-process against real Postgres and NATS, in its own schema and bus prefix. */
export class DispatcherHarness {
  readonly id = uniqueTestId('wh');
  readonly schema = `${this.id}_webhooks`;
  app!: INestApplication;
  rpc!: BusRpcClient;
  publisher!: BusPublisher;
  dataSource!: DataSource;
  probe!: BusProbe;

  async start(env: Record<string, string>): Promise<this> {
    const config = loadEnvironment(WebhookDispatcherEnv, {
      DATABASE_URL, DB_SCHEMA: this.schema, NATS_URL: TEST_NATS_URL, BUS_PREFIX: this.id, PORT: '0', WEBHOOK_TIMEOUT_MS: '5000',
      SECRET_KEYS: `test:${randomBytes(32).toString('base64')}`, WEBHOOK_POLL_INTERVAL_MS: '50', ...env,
    });
    await runMigrations(webhookDispatcherPersistence(config));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    this.app = moduleRef.createNestApplication({ logger: ['error'] });
    await this.app.listen(0, '127.0.0.1');
    this.rpc = this.app.get(BusRpcClient);
    this.publisher = this.app.get(BusPublisher);
    this.dataSource = this.app.get(DataSource);
    this.probe = await BusProbe.connect(this.id);
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.probe?.deleteStreams();
    await this.probe?.close();
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`).finally(() => client.end());
  }

  async publishRunEvent(subject: WebhookEvent, event: RunFinishedEvent): Promise<string> {
    const eventId = `${event.runId}:${subject}`;
    await this.publisher.publish(subject, event, { messageId: eventId, correlationId: event.runId });
    return eventId;
  }

  /** Publishes an experiment event under the id the orchestrator would give it (e.g. `<configId>:config_completed`). */
  async publishExperimentEvent<S extends WebhookEvent>(subject: S, event: PayloadOf<S> & ExperimentEventBase, eventId: string): Promise<string> {
    await this.publisher.publish(subject, event, { messageId: eventId, correlationId: event.experimentId });
    return eventId;
  }

  /** The subscription's delivery log, through the same RPC the gateway uses. */
  async deliveries(projectId: string, webhookId: string): Promise<WebhookDeliveryView[]> {
    const page = await this.rpc.request(RpcSubjects.ListWebhookDeliveries, { projectId, webhookId, limit: 100, offset: 0 });
    return page.items;
  }

  /** Polls the delivery log until `done` holds for it. */
  waitForDeliveries(projectId: string, webhookId: string, what: string, done: (deliveries: WebhookDeliveryView[]) => boolean, timeoutMs = 15_000) {
    return pollUntil(what, async () => {
      const deliveries = await this.deliveries(projectId, webhookId);
      return done(deliveries) ? deliveries : undefined;
    }, { timeoutMs, intervalMs: 50 });
  }
}

export function runFinished(projectId: string, status = RunStatus.Completed): RunFinishedEvent {
  return {
    runId: randomUUID(),
    projectId,
    runName: `run-${randomUUID().slice(0, 8)}`,
    runMode: RunMode.Fast,
    status,
    itemsTotal: 10,
    itemsSucceeded: 9,
    itemsFailed: 1,
    score: { mean: 0.82, std: 0.1, count: 9 },
    cost: { responses: 0.01, embeddings: 0.001, totalCostUsd: 0.011 },
    error: status === RunStatus.Failed ? 'too many items failed' : null,
    finishedAt: new Date().toISOString(),
  };
}
