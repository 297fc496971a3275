import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BusRpcClient } from '@yardstick/bus';
import { ConcurrencyLimiter } from '@yardstick/service-runtime';
import { RpcSubjects, Stage } from '@yardstick/contracts';
import { pipelineOf } from '../stages/pipeline';
import { BatchInputWriter } from './batch-input.writer';
import { BatchResultsIngester } from './batch-results.ingester';
import { BatchSettings } from './batch-settings';
import { endedStatus, nextPollDelayMs, PROVIDER_COMPLETION_WINDOW_MS, StageBatchRow, StageBatchStatus } from './stage-batch';
import { StageBatchesRepository } from './stage-batches.repository';
import { PeriodicTick } from '../periodic-tick';

const RUNS_PER_PASS = 20;
const BATCHES_OPENED_PER_RUN_AND_PASS = 10;
const BATCHES_ADVANCED_PER_PASS = 10;
const SUBMIT_TIMEOUT_MS = 300_000;
const POLL_TIMEOUT_MS = 30_000;
const CANCEL_TIMEOUT_MS = 30_000;
const COLLECT_TIMEOUT_MS = 600_000;
const SHUTDOWN_WAIT_MS = 5_000;
/**
 * Collected batches whose results this process records at once. Each holds a few pages of results in memory (an
 * embeddings page is about 15 MB) and keeps the database busy: more at once neither fits 300 MB nor finishes sooner.
 */
const RECORDINGS_AT_ONCE = 2;

/**
 * Batch mode's durable poller, inside the orchestrator (no external cron). Every pass, on every replica:
 * 1. opens stage batches for batch runs with responses (or embeddings batch retries) waiting (claimed atomically, see
 *    StageBatchesRepository.open); collecting a responses batch opens the embeddings batch its succeeded items feed;
 * 2. advances every open stage batch that is due (SKIP LOCKED plus a lease renewed while a step runs), each on its own:
 *    submit → poll (backing off from BATCH_POLL_MIN_MS to BATCH_POLL_MAX_MS) → collect and record the results.
 * All state is in Postgres, so a restarted orchestrator resumes where the last one stopped.
 */
@Injectable()
export class BatchPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BatchPoller.name);
  private readonly ticks = new PeriodicTick(() => this.tick());
  /** Stage batches this process is advancing: a long step (recording 50,000 results) must not hold up the others. */
  private readonly advancing = new Map<string, Promise<void>>();
  private readonly recordings = new ConcurrencyLimiter(RECORDINGS_AT_ONCE);

  constructor(
    private readonly batches: StageBatchesRepository,
    private readonly writer: BatchInputWriter,
    private readonly ingester: BatchResultsIngester,
    private readonly rpc: BusRpcClient,
    private readonly settings: BatchSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.ticks.start(this.settings.tickMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticks.stop();
    // A step cut short is safe: its lease expires and any replica redoes it (recording results again changes nothing).
    await Promise.race([Promise.all(this.advancing.values()), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
  }

  async tick(): Promise<void> {
    try {
      for (const run of await this.batches.runsToBatch(RUNS_PER_PASS)) {
        const model = pipelineOf(run.config)[0].model;
        for (let opened = 0; opened < BATCHES_OPENED_PER_RUN_AND_PASS; opened++) {
          const batch = await this.batches.open(run, model, this.settings.retryMode, this.settings.maxRequests, this.settings.itemLeaseMs);
          if (!batch) break;
          this.logger.log(`run ${run.id}: stage batch ${batch.id} opened with ${batch.requestCount} requests`);
        }
      }
      // Embeddings' first attempts go into the batch fed by their responses batch (collect); only batch retries wait here.
      for (const run of await this.batches.runsToBatch(RUNS_PER_PASS, Stage.Embeddings)) {
        const batch = await this.batches.open(
          run, run.config.embeddingModel, this.settings.retryMode, this.settings.maxRequests, this.settings.itemLeaseMs, Stage.Embeddings,
        );
        if (batch) this.logger.log(`run ${run.id}: embeddings stage batch ${batch.id} opened with ${batch.requestCount} retried requests`);
      }
      const room = BATCHES_ADVANCED_PER_PASS - this.advancing.size;
      for (const batch of room > 0 ? await this.batches.claimDue(room, this.settings.leaseMs) : []) {
        const task = this.advanceLeased(batch).finally(() => this.advancing.delete(batch.id));
        this.advancing.set(batch.id, task);
      }
      // Short steps (a poll) finish within the pass; long ones (recording results) go on while later passes poll others.
      await Promise.race([Promise.all(this.advancing.values()), new Promise((resolve) => setTimeout(resolve, this.settings.tickMs))]);
    } catch (error) {
      this.logger.warn(`batch pass failed, next pass retries: ${(error as Error).message}`);
    }
  }

  /** One step of a stage batch, its lease renewed while the step runs so no other replica takes it meanwhile. */
  private async advanceLeased(batch: StageBatchRow): Promise<void> {
    const heartbeat = setInterval(() => {
      this.batches.renewLease(batch.id, this.settings.leaseMs).catch((error: Error) => this.logger.warn(`lease of ${batch.id}: ${error.message}`));
    }, Math.max(100, Math.floor(this.settings.leaseMs / 3)));
    try {
      await this.advance(batch);
    } catch (error) {
      this.logger.warn(`stage batch ${batch.id} (${batch.status}): ${(error as Error).message}; retrying`);
      await this.batches.releaseLease(batch.id, this.settings.pollMinMs).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async advance(batch: StageBatchRow): Promise<void> {
    if (batch.runStatus !== 'running' && batch.runStatus !== 'paused') return this.abandon(batch);
    switch (batch.status) {
      case StageBatchStatus.Preparing:
        return this.submit(batch);
      case StageBatchStatus.Submitted:
        return this.poll(batch);
      case StageBatchStatus.Collecting:
        return this.collect(batch, endedStatus(batch.providerStatus ?? '') ?? StageBatchStatus.Failed);
      default:
        return undefined;
    }
  }

  /**
   * The batch's run ended. A provider batch still running is cancelled first, so its remaining requests are not run
   * (nor billed); cancelling twice (another replica, a retried pass) is harmless. If llm-caller cannot be reached the
   * batch stays open and is asked again at the poll backoff, until the provider's completion window expires it anyway.
   */
  private async abandon(batch: StageBatchRow): Promise<void> {
    const windowOver = batch.submittedAt !== null && Date.now() - new Date(batch.submittedAt).getTime() > PROVIDER_COMPLETION_WINDOW_MS;
    if (batch.status !== StageBatchStatus.Submitted || !batch.providerBatchId || windowOver) return this.batches.abandon(batch.id);
    let providerStatus: string;
    try {
      ({ status: providerStatus } = await this.rpc.request(RpcSubjects.CancelStageBatch, this.ref(batch), CANCEL_TIMEOUT_MS));
    } catch (error) {
      this.logger.warn(`stage batch ${batch.id}: cancelling provider batch ${batch.providerBatchId} failed (${(error as Error).message}); asking again later`);
      return this.batches.postponeCancel(batch.id, nextPollDelayMs(batch.polls + 1, this.settings.pollMinMs, this.settings.pollMaxMs));
    }
    this.logger.log(`stage batch ${batch.id}: its run ended, provider batch ${batch.providerBatchId} ${providerStatus}`);
    await this.batches.abandon(batch.id, providerStatus);
  }

  /** Writes the input and creates the provider batch; after a crash, llm-caller finds the batch it already created. */
  private async submit(batch: StageBatchRow): Promise<void> {
    const input = await this.writer.write(batch);
    if (!input.requests) return this.batches.finish(batch.id, StageBatchStatus.Completed, { succeeded: 0, failed: 0 }, 0);
    const submitted = await this.rpc.request(RpcSubjects.SubmitStageBatch, {
      projectId: batch.projectId, endpointId: batch.endpointId ?? undefined, stageBatchId: batch.id, inputBlobKey: input.key,
      endpoint: batch.stage === Stage.Embeddings ? '/v1/embeddings' : '/v1/responses',
    }, SUBMIT_TIMEOUT_MS);
    if (!submitted.supported || !submitted.providerBatchId) {
      this.logger.warn(`run ${batch.runId}: its endpoint has no Batch API, running it fast`);
      return this.batches.fallBackToFast(batch,
        'run_mode "batch": the provider endpoint has no Batch API (supports_batch is off), so this run executed on the fast path at standard prices');
    }
    if (submitted.recovered) this.logger.log(`stage batch ${batch.id}: found provider batch ${submitted.providerBatchId} created before a restart`);
    await this.batches.markSubmitted(batch.id, submitted.providerBatchId, submitted.inputFileId, input.key, this.settings.pollMinMs);
  }

  private async poll(batch: StageBatchRow): Promise<void> {
    const view = await this.rpc.request(RpcSubjects.PollStageBatch, this.ref(batch), POLL_TIMEOUT_MS);
    const ended = endedStatus(view.status);
    if (!ended) {
      return this.batches.markPolled(batch.id, view, nextPollDelayMs(batch.polls + 1, this.settings.pollMinMs, this.settings.pollMaxMs));
    }
    this.logger.log(`stage batch ${batch.id}: provider batch ${batch.providerBatchId} ${view.status}, collecting its results`);
    await this.batches.markCollecting(batch.id, view);
    await this.collect({ ...batch, status: StageBatchStatus.Collecting, outputFileId: view.outputFileId, errorFileId: view.errorFileId }, ended);
  }

  private async collect(batch: StageBatchRow, status: StageBatchStatus): Promise<void> {
    const resultsKey = `batches/${batch.id}/results.jsonl`;
    await this.rpc.request(RpcSubjects.CollectStageBatch, {
      ...this.ref(batch), resultsBlobKey: resultsKey, model: batch.model,
      outputFileId: batch.outputFileId ?? undefined, errorFileId: batch.errorFileId ?? undefined,
    }, COLLECT_TIMEOUT_MS);
    this.logger.log(`stage batch ${batch.id}: results collected, recording them`);
    const batchError = await this.batches.error(batch.id);
    // Before the results: recording the last one may end the run, and the run must say what happened by then.
    if (status !== StageBatchStatus.Completed) {
      const next = status === StageBatchStatus.Failed ? 'its items failed; retry the run to submit them again'
        : `its unfinished requests are retried (${this.settings.retryMode === 'batch' ? 'in a follow-up batch' : 'on the fast path'})`;
      await this.batches.addRunWarning(batch.runId, `provider batch ${batch.providerBatchId} ${status}${batchError ? ` (${batchError})` : ''}: ${next}`);
    }
    // A responses batch's succeeded items form one embeddings batch (a single-step pipeline's; a longer one's go on per item).
    const fed = batch.stage === Stage.Responses && pipelineOf(batch.config).length === 1
      ? await this.batches.openFed(batch, batch.config.embeddingModel, this.settings.retryMode) : null;
    const ingested = await this.recordings.run(() => this.ingester.ingest(
      batch, resultsKey, status, batchError, fed ? { id: fed, leaseMs: this.settings.itemLeaseMs } : null,
    ));
    if (fed) this.logger.log(`stage batch ${batch.id}: its embeddings batch ${fed} holds ${await this.batches.seal(fed)} requests`);
    await this.batches.finish(batch.id, status, ingested, ingested.costUsd);
    this.logger.log(`stage batch ${batch.id} ${status}: ${ingested.succeeded} succeeded, ${ingested.failed} failed`);
  }

  private ref(batch: StageBatchRow) {
    return { projectId: batch.projectId, endpointId: batch.endpointId ?? undefined, stageBatchId: batch.id, providerBatchId: batch.providerBatchId ?? '' };
  }
}
