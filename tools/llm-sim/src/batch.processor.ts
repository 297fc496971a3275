import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch } from './batch';
import { type BatchFaultPlan, isInjectedFailure } from './batch-fault';
import { type BatchInputCheck, type BatchRequestLine, validateBatchInputFile } from './batch-input.validator';
import { executeBatchRequest, expiredRequestLine } from './batch-request.executor';
import { BatchResultWriter } from './batch-result.writer';
import { type BatchSettings, scaled } from './batch-settings';
import type { FileStore } from './file-store';
import { readJsonlLines } from './jsonl-lines';
import type { LlmSimState } from './llm-sim.state';

export interface BatchProcessorDeps {
  store: FileStore;
  state: LlmSimState;
  settings: () => BatchSettings;
  /** Aborted when the simulator closes: the processor stops without touching the batch further. */
  closing: AbortSignal;
}

type Stop = 'cancelled' | 'expired' | null;

const INJECTED_VALIDATION_FAILURE: BatchInputCheck = {
  errors: [{ code: 'injected_failure', message: 'llm-sim was told to fail this batch.', param: null, line: null }],
  total: 0,
  model: null,
};

/**
 * Drives one batch through validating → in_progress → finalizing → completed (or failed, expired, cancelling →
 * cancelled) on the simulated clock. Requests run one line at a time from the input file on disk, paced by
 * timers, so many batches progress side by side without blocking the event loop.
 */
export class BatchProcessor {
  /** Woken early by cancel, so a long wait does not delay it. */
  private readonly wake = new AbortController();

  constructor(
    private readonly batch: Batch,
    /** Wall-clock ms at which the completion window ends. */
    private readonly expiresAtMs: number,
    private readonly fault: BatchFaultPlan | undefined,
    private readonly deps: BatchProcessorDeps,
  ) {}

  /** Asks a validating or in-progress batch to stop; the caller has moved it to `cancelling`. */
  cancel(): void {
    this.wake.abort();
  }

  async run(): Promise<void> {
    const { store } = this.deps;
    const inputId = this.batch.spec.inputFileId;
    // Read before the first await, while the file is surely listed; a later delete keeps the pinned content.
    const inputBytes = store.get(inputId)?.bytes ?? 0;
    store.pin(inputId);
    try {
      await this.wait(this.ms('validatingMs'), true);
      if (this.deps.closing.aborted) return;
      if (this.isCancelling()) return await this.finishCancel(null, null);
      const check = this.fault?.failValidation
        ? INJECTED_VALIDATION_FAILURE
        : await validateBatchInputFile(store.pathOf(inputId), inputBytes, this.batch.spec.endpoint, this.deps.settings());
      if (this.deps.closing.aborted) return;
      if (this.isCancelling()) return await this.finishCancel(null, null);
      if (check.errors.length > 0) {
        this.batch.errors = check.errors;
        return this.batch.moveTo('failed');
      }
      this.batch.total = check.total;
      this.batch.model = check.model;
      this.batch.moveTo('in_progress');
      await this.processRequests(store.pathOf(inputId));
    } finally {
      await store.release(inputId);
    }
  }

  private async processRequests(inputPath: string): Promise<void> {
    const output = new BatchResultWriter(this.deps.store, `${this.batch.id}_output.jsonl`);
    const errors = new BatchResultWriter(this.deps.store, `${this.batch.id}_error.jsonl`);
    const started = Date.now();
    let index = 0;
    let stop: Stop = null;
    try {
      for await (const { text } of readJsonlLines(inputPath)) {
        const request = JSON.parse(text) as BatchRequestLine;
        stop ??= await this.waitForTurn(started + (index + 1) * this.ms('requestMs'), index);
        if (this.deps.closing.aborted) return;
        if (stop === 'cancelled') break;
        if (stop === 'expired') {
          await errors.write(expiredRequestLine(request.custom_id));
          this.batch.failed++;
          continue;
        }
        const outcome = executeBatchRequest(request, this.deps.state, this.fault, isInjectedFailure(this.fault, index));
        await (outcome.succeeded ? output : errors).write(outcome.line);
        if (outcome.succeeded) this.batch.completed++;
        else this.batch.failed++;
        this.batch.usage.inputTokens += outcome.inputTokens;
        this.batch.usage.outputTokens += outcome.outputTokens;
        index++;
      }
    } finally {
      if (this.deps.closing.aborted) {
        output.abandon();
        errors.abandon();
      }
    }
    if (this.isCancelling()) stop = 'cancelled';
    if (stop === 'cancelled') return this.finishCancel(output, errors);
    if (stop === 'expired') {
      await this.attachFiles(output, errors);
      return this.batch.moveTo('expired');
    }
    this.batch.moveTo('finalizing');
    await this.wait(this.ms('finalizingMs'), false);
    if (this.deps.closing.aborted) return output.abandon(), errors.abandon();
    await this.attachFiles(output, errors);
    this.batch.moveTo('completed');
  }

  /** Waits until request `index` is due; says whether the batch was cancelled or its window ended meanwhile. */
  private async waitForTurn(dueMs: number, index: number): Promise<Stop> {
    const expiresAfter = this.fault?.expireAfterRequests;
    if (expiresAfter !== null && expiresAfter !== undefined && index >= expiresAfter) return 'expired';
    await this.wait(Math.min(dueMs, this.expiresAtMs) - Date.now(), true);
    if (this.isCancelling()) return 'cancelled';
    return Date.now() >= this.expiresAtMs ? 'expired' : null;
  }

  /** Read through a method: the status changes under our awaits, which TypeScript's narrowing cannot know. */
  private isCancelling(): boolean {
    return this.batch.status === 'cancelling';
  }

  private async finishCancel(output: BatchResultWriter | null, errors: BatchResultWriter | null): Promise<void> {
    if (output && errors) await this.attachFiles(output, errors);
    await this.wait(this.ms('finalizingMs'), false);
    if (this.deps.closing.aborted) return;
    this.batch.moveTo('cancelled');
  }

  private async attachFiles(output: BatchResultWriter, errors: BatchResultWriter): Promise<void> {
    this.batch.outputFileId = await output.close();
    this.batch.errorFileId = await errors.close();
  }

  private ms(setting: 'validatingMs' | 'requestMs' | 'finalizingMs'): number {
    const settings = this.deps.settings();
    return scaled(settings, settings[setting]);
  }

  /** Sleeps `ms` (nothing when ≤ 0); ends early when the simulator closes or, if `wakeOnCancel`, on cancel. */
  private async wait(ms: number, wakeOnCancel: boolean): Promise<void> {
    if (ms <= 0 || this.deps.closing.aborted) return;
    const signal = wakeOnCancel ? AbortSignal.any([this.deps.closing, this.wake.signal]) : this.deps.closing;
    await sleep(ms, undefined, { signal }).catch(() => undefined);
  }
}
