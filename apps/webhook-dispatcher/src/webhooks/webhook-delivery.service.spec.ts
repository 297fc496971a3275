// The workspace jest config has no setupFiles; decorators in contracts need the Reflect polyfill.
import 'reflect-metadata';
import { RunFinishedEvent, RunMode, RunStatus, Subjects } from '@yardstick/contracts';
import { DeliveryOutcome, outcomeOfResponse } from './delivery-outcome';
import { DeliveryAttempt, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsRepository, WebhookTarget } from './webhook-subscriptions.repository';

const event: RunFinishedEvent = {
  runId: '11111111-1111-4111-8111-111111111111',
  projectId: '22222222-2222-4222-8222-222222222222',
  runName: 'nightly',
  runMode: RunMode.Fast,
  status: RunStatus.Completed,
  itemsTotal: 1,
  itemsSucceeded: 1,
  itemsFailed: 0,
  score: { mean: 1, std: 0, count: 1 },
  cost: { responses: 0, embeddings: 0, totalCostUsd: 0 },
  finishedAt: '2024-11-30T10:00:00.000Z',
};
const occurrence = { eventId: 'evt-1', subject: Subjects.RunCompleted, occurredAt: '2024-11-30T10:00:01.000Z', event } as const;

/** In-memory subscriptions and deliveries with the repositories' semantics: delivered targets are not returned again. */
function harness(targets: WebhookTarget[], answers: Record<string, DeliveryOutcome[]>) {
  const recorded: DeliveryAttempt[] = [];
  const sent: Array<{ url: string; body: string; webhookId: string }> = [];
  const subscriptions = {
    findUndelivered: async () =>
      targets.filter((t) => !recorded.some((r) => r.subscriptionId === t.subscriptionId && r.outcome.status === 'delivered')),
  } as Pick<WebhookSubscriptionsRepository, 'findUndelivered'> as WebhookSubscriptionsRepository;
  const deliveries = {
    record: async (attempt: DeliveryAttempt) => void recorded.push(attempt),
  } as Pick<WebhookDeliveriesRepository, 'record'> as WebhookDeliveriesRepository;
  const sender = {
    send: async (url: string, body: string, webhookId: string) => {
      sent.push({ url, body, webhookId });
      return answers[url].shift() ?? outcomeOfResponse(200);
    },
  } as Pick<WebhookSender, 'send'> as WebhookSender;
  return { sut: new WebhookDeliveryService(subscriptions, deliveries, sender), recorded, sent };
}

describe(WebhookDeliveryService.name, () => {
  const a = { subscriptionId: 'sub-a', url: 'http://a.test/hook' };
  const b = { subscriptionId: 'sub-b', url: 'http://b.test/hook' };

  it('POSTs the payload to every target with the event id as webhook id and records each outcome', async () => {
    const { sut, recorded, sent } = harness([a, b], { [a.url]: [], [b.url]: [] });

    const report = await sut.deliver(occurrence);

    expect(report).toEqual({ attempted: 2, delivered: 2, rejected: 0, retryable: 0 });
    expect(sent.map((s) => [s.url, s.webhookId])).toEqual([[a.url, 'evt-1'], [b.url, 'evt-1']]);
    expect(JSON.parse(sent[0].body)).toMatchObject({ id: 'evt-1', type: 'eval.run.completed', data: { run_id: event.runId } });
    expect(recorded.map((r) => [r.subscriptionId, r.outcome.status])).toEqual([['sub-a', 'delivered'], ['sub-b', 'delivered']]);
  });

  it('reports retryable failures and, on the next try, sends only to targets not yet delivered', async () => {
    const { sut, sent } = harness([a, b], { [a.url]: [outcomeOfResponse(503, '2')], [b.url]: [] });

    expect(await sut.deliver(occurrence)).toEqual({ attempted: 2, delivered: 1, rejected: 0, retryable: 1, retryAfterMs: 2_000 });
    expect(await sut.deliver(occurrence)).toEqual({ attempted: 1, delivered: 1, rejected: 0, retryable: 0 });
    expect(sent.map((s) => s.url)).toEqual([a.url, b.url, a.url]);
  });

  it('counts a rejection (4xx) as final, not retryable', async () => {
    const { sut, recorded } = harness([a], { [a.url]: [outcomeOfResponse(404)] });

    expect(await sut.deliver(occurrence)).toEqual({ attempted: 1, delivered: 0, rejected: 1, retryable: 0 });
    expect(recorded[0].outcome).toMatchObject({ status: 'failed', responseStatus: 404, retryable: false });
  });

  it('does nothing when no subscription wants the event', async () => {
    const { sut, sent } = harness([], {});
    expect(await sut.deliver(occurrence)).toEqual({ attempted: 0, delivered: 0, rejected: 0, retryable: 0 });
    expect(sent).toHaveLength(0);
  });
});
