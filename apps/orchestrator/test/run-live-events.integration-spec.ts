import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LiveEvent, LiveEventReader } from '@yardstick/bus';
import { EmbeddedTextRole, LiveEventType, LiveSubjects, RunFinishedEvent, ScorerName, Stage } from '@yardstick/contracts';
import { RunLiveEvents } from '../src/live/run-live-events';
import { RunControlService } from '../src/runs/run-control.service';
import { ItemProgressService } from '../src/stages/item-progress.service';
import { numberedRows, OrchestratorHarness, TEST_PROJECT } from './orchestrator-harness';

const PROJECT = TEST_PROJECT;
const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

describe('live progress of runs (orchestrator with real Postgres and NATS)', () => {
  const harness = new OrchestratorHarness('live');
  let app: INestApplication;
  let dataSource: DataSource;
  let progress: ItemProgressService;
  let control: RunControlService;

  beforeAll(async () => {
    await harness.start({ FAILURE_MIN_FINISHED_ITEMS: '100' });
    app = harness.app;
    dataSource = harness.dataSource;
    progress = app.get(ItemProgressService);
    control = app.get(RunControlService);
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  const createRun = (name: string, questions: number) => harness.createRun(name, numberedRows(questions));

  const ref = (runId: string, itemId: string) => ({ runId, projectId: PROJECT, itemId, attempt: 1 });

  async function completeItem(runId: string, itemId: string, score: number) {
    await progress.recordResponse({ ...ref(runId, itemId), model: 'sim-large', output: 'out', usage, latencyMs: 5, costUsd: 0.001 });
    await progress.recordEmbeddings({
      ...ref(runId, itemId), model: 'e', usage, latencyMs: 1, costUsd: 0.0001,
      vectors: [{ role: EmbeddedTextRole.Output, embedding: [1, 0] }, { role: EmbeddedTextRole.GroundTruth, embedding: [0, 1] }],
    });
    await progress.recordScores({ ...ref(runId, itemId), results: [{ scorer: ScorerName.CosineSimilarity, value: score }] });
  }

  /** The run's stored events, read back the way the gateway reads them, from the first up to the run's latest. */
  async function storedEvents(runId: string): Promise<LiveEvent[]> {
    const latest = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!.sequence;
    const subscription = await app.get(LiveEventReader).open(LiveSubjects.run(runId), 0, 100);
    const events: LiveEvent[] = [];
    const deadline = setTimeout(() => void subscription.close(), 10_000);
    try {
      for await (const event of subscription) {
        events.push(event);
        if (event.sequence >= latest) break;
      }
    } finally {
      clearTimeout(deadline);
      await subscription.close();
    }
    return events;
  }

  const lastSequence = async (runId: string) => (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))?.sequence;

  it('publishes the status at creation and at every change, each finished item once, and a final snapshot right before the terminal status', async () => {
    const { runId, itemIds } = await createRun('watched', 3);
    await control.pause(PROJECT, runId);
    await control.resume(PROJECT, runId);
    await completeItem(runId, itemIds[0], 0.25);
    await completeItem(runId, itemIds[0], 0.75); // redelivered: recorded once, reported once
    await progress.recordFailure({ ...ref(runId, itemIds[1]), stage: Stage.Responses, error: { code: 'invalid_request_error', message: 'bad', retryable: false } });
    await completeItem(runId, itemIds[2], 0.5);

    const events = await storedEvents(runId);
    const data = events.map((event) => event.envelope.data);
    expect(data.filter((d) => d.type === LiveEventType.Status).map((d) => d.type === LiveEventType.Status && d.status))
      .toEqual(['running', 'paused', 'running', 'completed']);
    const items = data.flatMap((d) => (d.type === LiveEventType.Items ? d.items : []));
    expect(items.map((item) => [item.itemIndex, item.state, item.score]).sort()).toEqual([[0, 'succeeded', 0.25], [1, 'failed', null], [2, 'succeeded', 0.5]]);
    expect(data.at(-1)).toMatchObject({ type: 'status', status: 'completed', itemsTotal: 3, itemsSucceeded: 2, itemsFailed: 1, score: { count: 2 } });
    expect(data.at(-2)).toMatchObject({ type: 'progress', status: 'completed', itemsSucceeded: 2, itemsFailed: 1, itemsInProgress: 0, score: { mean: 0.375, count: 2 } });
    expect(events.map((event) => event.envelope.correlation_id).every((c) => c === runId)).toBe(true);

    // The outbox relaying the end again (a crash before it marked the row) stores no second terminal status.
    const [row] = await dataSource.query(`SELECT id, payload FROM outbox WHERE correlation_id = $1`, [runId]);
    await app.get(RunLiveEvents).runFinished(row.id, row.payload as RunFinishedEvent);
    expect(await lastSequence(runId)).toBe(events.at(-1)!.sequence);

    // A retry goes on on the same subject, as the run's next attempt.
    await control.retry(PROJECT, runId);
    const retried = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!;
    expect(retried.envelope.data).toMatchObject({ type: 'status', status: 'running', attempt: 2 });
    expect(data.at(-1)).toMatchObject({ attempt: 1 });
  });

  it('ends a cancelled run with its cancelled status', async () => {
    const { runId, itemIds } = await createRun('cancelled', 2);
    await completeItem(runId, itemIds[0], 1);
    await control.cancel(PROJECT, runId);
    const last = (await app.get(LiveEventReader).last(LiveSubjects.run(runId)))!;
    expect(last.envelope.data).toMatchObject({ type: 'status', status: 'cancelled', reason: 'cancelled by a user', itemsSucceeded: 1 });
  });
});
