import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  Consumers, ExperimentConfigCompletedEvent, ExperimentConfigStartedEvent, ExperimentFinishedEvent, ExperimentStartedEvent, ExperimentStatus, MessageEnvelope,
  RpcSubjects, Streams, Subjects, WebhookSecretView,
} from '@yardstick/contracts';
import { pollUntil } from '@yardstick/testing';
import { DispatcherHarness } from './dispatcher-harness';
import { WebhookReceiver } from './webhook-receiver';

jest.setTimeout(30_000);

const EXPERIMENT_CONSUMERS = [
  Consumers.WebhookDispatcherExperimentStarted, Consumers.WebhookDispatcherExperimentConfigStarted, Consumers.WebhookDispatcherExperimentConfigCompleted,
  Consumers.WebhookDispatcherExperimentNewBest, Consumers.WebhookDispatcherExperimentCompleted,
];

describe('webhook-dispatcher: experiment events', () => {
  const harness = new DispatcherHarness();
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    await harness.start({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32', WEBHOOK_RETRY_SCHEDULE: '0ms,100ms,200ms' });
  });

  afterAll(async () => {
    await harness.stop();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  async function receiver(): Promise<WebhookReceiver> {
    const started = await new WebhookReceiver([200]).start();
    receivers.push(started);
    return started;
  }

  function subscribe(projectId: string, url: string, events: string[]): Promise<WebhookSecretView> {
    return harness.rpc.request(RpcSubjects.CreateWebhook, { projectId, url, events });
  }

  function receivedCount(target: WebhookReceiver, count: number) {
    return pollUntil(`${count} POSTs at ${target.url}`, async () => (target.received.length >= count ? target.received : undefined), {
      timeoutMs: 15_000, intervalMs: 20,
    });
  }

  function experiment(projectId: string) {
    const base = { experimentId: randomUUID(), projectId, name: `sweep-${randomUUID().slice(0, 8)}` };
    const started: ExperimentStartedEvent = { ...base, strategy: 'grid', startedAt: new Date().toISOString() };
    const params = { model: 'gpt-4o-mini', temperature: 0.2 };
    const configStarted: ExperimentConfigStartedEvent = {
      ...base, configId: randomUUID(), runId: randomUUID(), ordinal: 1, params, configHash: 'h1', savedConfigId: null,
      config: {
        configId: randomUUID(), version: 1, model: 'gpt-4o-mini', promptTemplate: 'Q: {{question}}', params: { temperature: 0.2 },
        embeddingModel: 'text-embedding-3-small',
      },
    };
    const config: ExperimentConfigCompletedEvent = {
      ...base, configId: configStarted.configId, runId: configStarted.runId, ordinal: 1, params, runStatus: 'completed', score: 0.75, costUsd: 0.002,
    };
    const finished: ExperimentFinishedEvent = {
      ...base, status: ExperimentStatus.Completed, reason: null, configsCompleted: 1, bestConfigId: config.configId, bestScore: 0.75,
      spentCostUsd: 0.002, spentTokens: 420, finishedAt: new Date().toISOString(),
    };
    return { started, configStarted, config, finished };
  }

  it('POSTs started, config_started, config_completed, new_best and completed, signed, to an eval.experiment.* subscription and not to a run one', async () => {
    const projectId = randomUUID();
    const [wildcard, runOnly, completedOnly] = [await receiver(), await receiver(), await receiver()];
    const subscription = await subscribe(projectId, wildcard.url, ['eval.experiment.*']);
    const runSubscription = await subscribe(projectId, runOnly.url, [Subjects.RunCompleted]);
    await subscribe(projectId, completedOnly.url, [Subjects.ExperimentCompleted]);
    const { started, configStarted, config, finished } = experiment(projectId);

    const ids = [
      await harness.publishExperimentEvent(Subjects.ExperimentStarted, started, `${started.experimentId}:started`),
      await harness.publishExperimentEvent(Subjects.ExperimentConfigStarted, configStarted, `${config.configId}:config_started`),
      await harness.publishExperimentEvent(Subjects.ExperimentConfigCompleted, config, `${config.configId}:config_completed`),
      await harness.publishExperimentEvent(Subjects.ExperimentNewBest, config, `${config.configId}:new_best`),
      await harness.publishExperimentEvent(Subjects.ExperimentCompleted, finished, `${finished.experimentId}:finished`),
    ];

    const received = await receivedCount(wildcard, 5);
    const verifier = new Webhook(subscription.secret);
    const bodies = new Map(received.map((r) => {
      const body = verifier.verify(r.raw, r.headers as Record<string, string>) as { id: string; type: string };
      expect(r.headers['webhook-id']).toBe(body.id);
      return [body.type, body];
    }));
    expect([...bodies.keys()].sort()).toEqual([
      'eval.experiment.completed', 'eval.experiment.config_completed', 'eval.experiment.config_started', 'eval.experiment.new_best',
      'eval.experiment.started',
    ]);
    const { body: envelope } = await harness.probe.waitForMessage<MessageEnvelope<ExperimentFinishedEvent>>(
      Streams.Events, Subjects.ExperimentCompleted, (e) => e.id === ids[4],
    );
    expect(bodies.get('eval.experiment.completed')).toEqual({
      id: ids[4],
      type: 'eval.experiment.completed',
      occurred_at: envelope.occurred_at,
      data: {
        experiment_id: finished.experimentId, project_id: projectId, name: finished.name, status: 'completed', reason: null,
        configs_completed: 1, best_config_id: config.configId, best_score: 0.75, spent_cost_usd: 0.002, spent_tokens: 420,
        finished_at: finished.finishedAt,
      },
    });
    expect(bodies.get('eval.experiment.config_completed')).toMatchObject({
      id: ids[2],
      data: { config_id: config.configId, run_id: config.runId, ordinal: 1, params: { model: 'gpt-4o-mini', temperature: 0.2 }, run_status: 'completed', score: 0.75, cost_usd: 0.002 },
    });
    expect(bodies.get('eval.experiment.started')).toMatchObject({ id: ids[0], data: { strategy: 'grid', started_at: started.startedAt } });
    expect(bodies.get('eval.experiment.config_started')).toMatchObject({
      id: ids[1], data: { config_hash: 'h1', saved_config_id: null, config: { prompt_template: 'Q: {{question}}', embedding_model: 'text-embedding-3-small' } },
    });

    const [completed] = await receivedCount(completedOnly, 1);
    expect(completed.headers['webhook-id']).toBe(ids[4]);
    for (const consumer of EXPERIMENT_CONSUMERS) await harness.probe.waitUntilIdle(consumer);
    const log = await harness.waitForDeliveries(projectId, subscription.webhook.id, 'five delivered', (d) => d.length === 5 && d.every((x) => x.status === 'delivered'));
    expect(new Set(log.map((d) => d.eventId))).toEqual(new Set(ids));
    expect(completedOnly.received).toHaveLength(1);
    expect(runOnly.received).toHaveLength(0);
    await expect(harness.deliveries(projectId, runSubscription.webhook.id)).resolves.toEqual([]);
  });

  it('records an experiment event once per subscription, even when the bus hands it over twice', async () => {
    const projectId = randomUUID();
    const target = await receiver();
    const subscription = await subscribe(projectId, target.url, ['eval.experiment.*']);
    const { finished } = experiment(projectId);
    const eventId = await harness.publishExperimentEvent(Subjects.ExperimentCompleted, finished, `${finished.experimentId}:finished`);
    await receivedCount(target, 1);

    const { body: envelope } = await harness.probe.waitForMessage<MessageEnvelope<ExperimentFinishedEvent>>(
      Streams.Events, Subjects.ExperimentCompleted, (e) => e.id === eventId,
    );
    // A new Nats-Msg-Id gets past JetStream's duplicate window, so only the dispatcher's own idempotency is left.
    const replay = await harness.probe.publishRaw(Subjects.ExperimentCompleted, JSON.stringify(envelope), `${eventId}:replayed`);
    await harness.probe.waitUntilSettled(Consumers.WebhookDispatcherExperimentCompleted, replay);
    await harness.probe.waitUntilIdle(Consumers.WebhookDispatcherExperimentCompleted);

    expect(target.received).toHaveLength(1);
    await expect(harness.deliveries(projectId, subscription.webhook.id)).resolves.toEqual([expect.objectContaining({ eventId })]);
  });
});
