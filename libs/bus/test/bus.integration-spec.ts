import 'reflect-metadata';
import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Consumers, GetRunRequest, RpcSubjects, ScoreItemCommand, ServiceErrorCode, ServiceException, Streams, Subjects,
} from '@yardstick/contracts';
import { HealthModule } from '@yardstick/service-runtime';
import { pollUntil, uniqueTestId } from '@yardstick/testing';
import { BusConnection, BusModule, BusPublisher, BusRpcClient, MessageContext, OnRequest, OnSubject, TransientHandlerError } from '../src';

const ITEM = '00000000-0000-4000-8000-000000000001';
const command = (itemId: string, attempt = 1): ScoreItemCommand => ({
  runId: ITEM, projectId: ITEM, itemId, attempt, scorers: [], output: 'o', groundTruth: 'g',
});

@Injectable()
class RecordingHandler {
  readonly seen: Array<{ itemId: string; delivery: number }> = [];
  failFirstDeliveryOf = new Set<string>();

  @OnSubject(Consumers.ScorerScoreItem, { concurrency: 4 })
  async onScore(payload: ScoreItemCommand, context: MessageContext): Promise<void> {
    this.seen.push({ itemId: payload.itemId, delivery: context.deliveryCount });
    if (this.failFirstDeliveryOf.has(payload.itemId) && context.deliveryCount === 1) {
      throw new TransientHandlerError('not yet', 200);
    }
  }

  @OnRequest(RpcSubjects.GetRun)
  async getRun(request: GetRunRequest): Promise<unknown> {
    if (request.runId === ITEM) throw new ServiceException(ServiceErrorCode.NotFound, 'no such run');
    return { echoed: request.runId };
  }
}

describe('bus (real NATS JetStream)', () => {
  const prefix = uniqueTestId('bus');
  let app: INestApplicationContext;
  let handler: RecordingHandler;
  let publisher: BusPublisher;
  let bus: BusConnection;

  beforeAll(async () => {
    @Module({
      imports: [HealthModule, BusModule.forRoot({ servers: 'nats://127.0.0.1:4222', prefix, serviceName: 'bus-test', drainTimeoutMs: 2_000 })],
      providers: [RecordingHandler],
    })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    await app.init();
    handler = app.get(RecordingHandler);
    publisher = app.get(BusPublisher);
    bus = app.get(BusConnection);
  });

  afterAll(async () => {
    for (const stream of Object.values(Streams)) await bus.jsm.streams.delete(bus.names.stream(stream)).catch(() => undefined);
    await app.close();
  });

  const seenCount = (itemId: string) => handler.seen.filter((s) => s.itemId === itemId).length;

  it('hands a valid message to its handler once and drops a repeated Nats-Msg-Id', async () => {
    const itemId = '00000000-0000-4000-8000-000000000011';
    expect(await publisher.publish(Subjects.ScoreItem, command(itemId), { messageId: 'm-11', correlationId: ITEM })).toEqual({ duplicate: false });
    expect(await publisher.publish(Subjects.ScoreItem, command(itemId), { messageId: 'm-11', correlationId: ITEM })).toEqual({ duplicate: true });
    await pollUntil('the handler', async () => (seenCount(itemId) ? true : undefined));
    const info = await pollUntil('the ack', async () => {
      const consumer = await bus.jsm.consumers.info(bus.names.stream(Streams.Commands), Consumers.ScorerScoreItem.durableName);
      return consumer.num_ack_pending === 0 ? consumer : undefined;
    });
    expect(info.num_redelivered).toBe(0);
    expect(seenCount(itemId)).toBe(1);
  });

  it('redelivers after a transient failure, with the delay the handler asked for', async () => {
    const itemId = '00000000-0000-4000-8000-000000000012';
    handler.failFirstDeliveryOf.add(itemId);
    await publisher.publish(Subjects.ScoreItem, command(itemId), { messageId: 'm-12', correlationId: ITEM });
    await pollUntil('the second delivery', async () => (seenCount(itemId) === 2 ? true : undefined), { timeoutMs: 5_000 });
    expect(handler.seen.filter((s) => s.itemId === itemId).map((s) => s.delivery)).toEqual([1, 2]);
  });

  it('dead-letters and terminates an invalid message instead of handing it over or redelivering it', async () => {
    const dlq = bus.names.stream(Streams.DeadLetters);
    const before = (await bus.jsm.streams.info(dlq)).state.messages;
    await bus.js.publish(bus.names.subject(Subjects.ScoreItem), JSON.stringify({ id: 'bad', subject: 'x' }), { msgID: 'bad-1' });
    await pollUntil('the dead letter', async () => ((await bus.jsm.streams.info(dlq)).state.messages > before ? true : undefined));
    const consumer = await pollUntil('the message to settle', async () => {
      const info = await bus.jsm.consumers.info(bus.names.stream(Streams.Commands), Consumers.ScorerScoreItem.durableName);
      return info.num_ack_pending === 0 ? info : undefined;
    });
    expect(consumer.num_pending).toBe(0);
    const letter = await bus.jsm.streams.getMessage(dlq, { last_by_subj: bus.names.subject(`dlq.${Subjects.ScoreItem}`) });
    expect(letter?.json<{ reason: string }>().reason).toMatch(/invalid message/);
  });

  it('declares the streams and consumer again when the JetStream store lost them', async () => {
    await bus.jsm.streams.delete(bus.names.stream(Streams.Commands));
    const itemId = '00000000-0000-4000-8000-000000000013';
    await publisher.publish(Subjects.ScoreItem, command(itemId), { messageId: 'm-13', correlationId: ITEM });
    await pollUntil('the handler after the store was lost', async () => (seenCount(itemId) ? true : undefined), { timeoutMs: 20_000 });
  }, 30_000);

  it('answers requests, passing service errors through and validating the request', async () => {
    const rpc = app.get(BusRpcClient);
    const other = '00000000-0000-4000-8000-000000000099';
    await expect(rpc.request(RpcSubjects.GetRun, { projectId: ITEM, runId: other })).resolves.toEqual({ echoed: other });
    await expect(rpc.request(RpcSubjects.GetRun, { projectId: ITEM, runId: ITEM })).rejects.toMatchObject({ code: ServiceErrorCode.NotFound });
    await expect(rpc.request(RpcSubjects.GetRun, { projectId: 'x', runId: other } as GetRunRequest)).rejects.toMatchObject({
      code: ServiceErrorCode.ValidationFailed,
    });
    await expect(rpc.request(RpcSubjects.ListWebhooks, { projectId: ITEM, limit: 1, offset: 0 }, 500)).rejects.toMatchObject({
      code: ServiceErrorCode.Unavailable,
    });
  });
});
