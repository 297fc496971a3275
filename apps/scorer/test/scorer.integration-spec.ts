import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BusPublisher } from '@yardstick/bus';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import {
  Consumers, DEAD_LETTER_PREFIX, encodeFloat32Base64, ItemScoredEvent, ItemStageFailedEvent, MessageEnvelope, PageScoredEvent, ScoredPageItem,
  ScoreItemCommand, ScorePageCommand, ScorePageItem, ScorerName, Stage, Streams, Subjects,
} from '@yardstick/contracts';
import { loadEnvironment } from '@yardstick/service-runtime';
import { BusProbe, TEST_NATS_URL, uniqueTestId } from '@yardstick/testing';
import { AppModule } from '../src/app.module';
import { ScorerEnv } from '../src/config/scorer.env';

jest.setTimeout(30_000);

interface DeadLetterRecord {
  subject: string;
  consumer: string;
  streamSequence: number;
  deliveryCount: number;
  reason: string;
  payload: string;
}

function scoreItemCommand(overrides: Partial<ScoreItemCommand> = {}): ScoreItemCommand {
  return {
    runId: randomUUID(),
    projectId: randomUUID(),
    itemId: randomUUID(),
    attempt: 1,
    scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }],
    output: 'The capital of France is Paris.',
    groundTruth: 'Paris',
    outputEmbedding: [1, 0, 0],
    groundTruthEmbedding: [1, 1, 0],
    ...overrides,
  };
}

describe('scorer service', () => {
  const prefix = uniqueTestId('t');
  let app: INestApplication;
  let probe: BusProbe;
  let publisher: BusPublisher;

  beforeAll(async () => {
    const env = loadEnvironment(ScorerEnv, { NATS_URL: TEST_NATS_URL, BUS_PREFIX: prefix, PORT: '0' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(env)] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await app.listen(0, '127.0.0.1');
    publisher = app.get(BusPublisher);
    probe = await BusProbe.connect(prefix);
  });

  afterAll(async () => {
    await app?.close();
    await probe?.deleteStreams();
    await probe?.close();
  });

  function scoredEvent(command: ScoreItemCommand) {
    return probe.waitForMessage<MessageEnvelope<ItemScoredEvent>>(Streams.Events, Subjects.ItemScored, (e) => e.data.itemId === command.itemId);
  }

  it('reports ready when NATS answers', async () => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { nats: 'ok' } });
  });

  it('answers a ScoreItem command with ItemScored carrying the cosine similarity', async () => {
    const command = scoreItemCommand({ attempt: 3 });
    await publisher.publish(Subjects.ScoreItem, command, { messageId: `${command.itemId}:scoring:3`, correlationId: command.runId });

    const { body } = await scoredEvent(command);

    expect(body.id).toBe(`${command.itemId}:${Stage.Scoring}:3:scored`);
    expect(body.correlation_id).toBe(command.runId);
    expect(body.data).toMatchObject({ runId: command.runId, projectId: command.projectId, itemId: command.itemId, attempt: 3 });
    expect(body.data.results).toHaveLength(1);
    expect(body.data.results[0].scorer).toBe(ScorerName.CosineSimilarity);
    expect(body.data.results[0].value).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('scores opposite embeddings 0', async () => {
    const command = scoreItemCommand({ outputEmbedding: [0.2, -0.4], groundTruthEmbedding: [-0.2, 0.4] });
    await publisher.publish(Subjects.ScoreItem, command, { messageId: `${command.itemId}:scoring:1`, correlationId: command.runId });

    const { body } = await scoredEvent(command);

    expect(body.data.results[0].value).toBe(0);
  });

  it('runs several scorers with their configs and publishes each result with its details', async () => {
    const output = ['# Capital', '', 'The capital of France is **Paris**.', '', '```json', '{"city": "Paris", "country": "France"}', '```'].join('\n');
    const command = scoreItemCommand({
      output,
      scorers: [
        { name: ScorerName.CosineSimilarity, weight: 1, config: { threshold: 0.7 } },
        { name: ScorerName.ExactMatch, weight: 1, config: { case_sensitive: false } },
        { name: ScorerName.Contains, weight: 1, config: { substring: ['paris', 'france'], case_sensitive: false } },
        { name: ScorerName.Keywords, weight: 1, config: { required_present: ['Paris', 'Berlin'], required_absent: ['I think'] } },
        { name: ScorerName.Regex, weight: 1, config: { pattern: '\\*\\*(\\p{L}+)\\*\\*', flags: 'u' } },
        {
          name: ScorerName.JsonSchema,
          weight: 2,
          config: { schema: { type: 'object', required: ['city', 'country'], properties: { city: { const: 'Paris' } } }, extract_code_block: true },
        },
        { name: ScorerName.Length, weight: 1, config: { max: 50 } },
        { name: ScorerName.Markdown, weight: 1, config: { headers: { presence: 'required' }, code_blocks: { min_count: 2 } } },
      ],
    });
    await publisher.publish(Subjects.ScoreItem, command, { messageId: `${command.itemId}:scoring:1`, correlationId: command.runId });

    const { body } = await scoredEvent(command);

    expect(body.data.results).toEqual([
      { scorer: ScorerName.CosineSimilarity, value: expect.closeTo(Math.SQRT1_2, 12), passed: true, details: { cosine: expect.any(Number) } },
      {
        scorer: ScorerName.ExactMatch, value: 0, passed: false,
        details: { first_difference_at: 0, output_excerpt: output.toLowerCase().slice(0, 40), expected_excerpt: 'paris' },
      },
      { scorer: ScorerName.Contains, value: 1, passed: true, details: { match: 'all', missing: [] } },
      { scorer: ScorerName.Keywords, value: 2 / 3, passed: false, details: { satisfied: 2, total: 3, missing: ['Berlin'], forbidden_found: [] } },
      {
        scorer: ScorerName.Regex, value: 1, passed: true,
        details: { matched: true, must_match: true, match: '**Paris**', match_index: output.indexOf('**Paris**') },
      },
      { scorer: ScorerName.JsonSchema, value: 1, passed: true, details: { valid_json: true, from_code_block: true } },
      { scorer: ScorerName.Length, value: 2 - output.length / 50, passed: false, details: { unit: 'characters', length: output.length, max: 50 } },
      {
        scorer: ScorerName.Markdown, value: 0.5, passed: false,
        details: { counts: { headers: 1, list_items: 0, code_blocks: 1 }, failed: ['code_blocks: expected at least 2, found 1'] },
      },
    ]);
  });

  it('publishes a scorer error, not a 0, when a command carries a config the scorer rejects', async () => {
    const command = scoreItemCommand({ scorers: [{ name: ScorerName.Regex, weight: 1, config: { pattern: '(unclosed' } }] });
    await publisher.publish(Subjects.ScoreItem, command, { messageId: `${command.itemId}:scoring:1`, correlationId: command.runId });

    const { body } = await probe.waitForMessage<MessageEnvelope<ItemStageFailedEvent>>(
      Streams.Events, Subjects.ItemStageFailed, (e) => e.data.itemId === command.itemId,
    );

    expect(body.data.error).toMatchObject({ code: 'scorer_error', retryable: false });
    expect(body.data.error.message).toMatch(/^regex: invalid config: config\.pattern: Invalid regular expression/);
  });

  it('publishes a non-retryable ItemStageFailed when the embeddings cannot be compared', async () => {
    const command = scoreItemCommand({ outputEmbedding: [1, 2, 3], groundTruthEmbedding: [1, 2] });
    await publisher.publish(Subjects.ScoreItem, command, { messageId: `${command.itemId}:scoring:1`, correlationId: command.runId });

    const { body } = await probe.waitForMessage<MessageEnvelope<ItemStageFailedEvent>>(
      Streams.Events, Subjects.ItemStageFailed, (e) => e.data.itemId === command.itemId,
    );

    expect(body.id).toBe(`${command.itemId}:${Stage.Scoring}:1:failed`);
    expect(body.data.stage).toBe(Stage.Scoring);
    expect(body.data.error).toMatchObject({ code: 'scorer_error', retryable: false });
    expect(body.data.error.message).toMatch(/dimensions/);
  });

  it('scores a page of items from a blob: every item\'s result or stage error in the results blob, one PageScored', async () => {
    const blobs = app.get<BlobStore>(BLOB_STORE);
    const runId = randomUUID();
    const pageId = randomUUID();
    const items: ScorePageItem[] = [
      { itemId: randomUUID(), attempt: 1, output: 'Paris', groundTruth: 'Paris', outputEmbedding: encodeFloat32Base64([1, 0]), groundTruthEmbedding: encodeFloat32Base64([1, 0]) },
      { itemId: randomUUID(), attempt: 2, output: 'Lyon', groundTruth: 'Paris', outputEmbedding: encodeFloat32Base64([0, 1]), groundTruthEmbedding: encodeFloat32Base64([1, 0]) },
      { itemId: randomUUID(), attempt: 1, output: 'x', groundTruth: 'y', outputEmbedding: encodeFloat32Base64([1, 2, 3]), groundTruthEmbedding: encodeFloat32Base64([1, 2]) },
    ];
    const inputBlobKey = `score-pages/${runId}/${pageId}/input.jsonl`;
    const resultsBlobKey = `score-pages/${runId}/${pageId}/results.jsonl`;
    await blobs.put(inputBlobKey, items.map((item) => `${JSON.stringify(item)}\n`).join(''));
    const command: ScorePageCommand = {
      runId, projectId: randomUUID(), pageId, inputBlobKey, resultsBlobKey, itemCount: items.length,
      scorers: [{ name: ScorerName.CosineSimilarity, weight: 1 }, { name: ScorerName.ExactMatch, weight: 1 }],
    };
    await publisher.publish(Subjects.ScorePage, command, { messageId: `score-page:${pageId}`, correlationId: runId });

    const { body } = await probe.waitForMessage<MessageEnvelope<PageScoredEvent>>(Streams.Events, Subjects.PageScored, (e) => e.data.pageId === pageId);

    expect(body.id).toBe(`score-page:${pageId}:scored`);
    expect(body.data).toEqual({ runId, projectId: command.projectId, pageId, inputBlobKey, resultsBlobKey, itemCount: 3 });
    const lines: ScoredPageItem[] = (await blobs.getBuffer(resultsBlobKey)).toString().trim().split('\n').map((line) => JSON.parse(line));
    const byItem = new Map(lines.map((line) => [line.itemId, line]));
    expect(byItem.get(items[0].itemId)).toMatchObject({ attempt: 1, results: [{ scorer: ScorerName.CosineSimilarity, value: 1 }, { scorer: ScorerName.ExactMatch, value: 1 }] });
    expect(byItem.get(items[1].itemId)?.results.map((r) => [r.scorer, r.value])).toEqual([[ScorerName.CosineSimilarity, 0], [ScorerName.ExactMatch, 0]]);
    expect(byItem.get(items[1].itemId)?.attempt).toBe(2);
    expect(byItem.get(items[2].itemId)).toMatchObject({ results: [], failure: { code: 'scorer_error', retryable: false } });
    expect(byItem.get(items[2].itemId)?.failure?.message).toMatch(/dimensions/);
  });

  it('terminates and dead-letters an invalid command instead of redelivering it', async () => {
    const messageId = `invalid-${randomUUID()}`;
    const envelope = {
      id: messageId, subject: Subjects.ScoreItem, schema_version: 1, occurred_at: new Date().toISOString(), correlation_id: randomUUID(),
      data: { ...scoreItemCommand(), itemId: 'not-a-uuid' },
    };

    const sequence = await probe.publishRaw(Subjects.ScoreItem, JSON.stringify(envelope), messageId);

    const { body: letter } = await probe.waitForMessage<DeadLetterRecord>(
      Streams.DeadLetters, `${DEAD_LETTER_PREFIX}.${Subjects.ScoreItem}`, (l) => l.streamSequence === sequence,
    );
    expect(letter).toMatchObject({ subject: Subjects.ScoreItem, consumer: Consumers.ScorerScoreItem.durableName, deliveryCount: 1 });
    expect(letter.reason).toMatch(/^invalid message: itemId/);
    expect(JSON.parse(letter.payload)).toMatchObject({ id: messageId });

    // Settled after its first delivery with nothing redelivered: terminated. A nak would leave it pending for redelivery.
    const consumer = await probe.waitUntilSettled(Consumers.ScorerScoreItem, sequence);
    expect(consumer.num_redelivered).toBe(0);
    expect(consumer.num_ack_pending).toBe(0);
  });
});
