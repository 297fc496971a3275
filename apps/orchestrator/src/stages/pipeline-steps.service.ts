import { Injectable } from '@nestjs/common';
import { ItemStageState, PipelineStep, ResponseGeneratedEvent } from '@yardstick/contracts';
import { pipelineOf, PipelineStepRecord, stepRecord } from './pipeline';
import { PipelineStepsRepository } from './pipeline-steps.repository';
import { StageSettings } from './stage-settings';
import { WorkDispatcher } from './work-dispatcher';

const MAX_RUNS = 1_000;

/** What to do with a response: the stage's final result (last step), or nothing more (an earlier step, or a stray). */
export type StepOutcome = { final: true; step: number; record: PipelineStepRecord } | { final: false };

/**
 * Runs a config's prompt pipeline inside the responses stage: a result of step k < last is recorded and step k + 1
 * dispatched; the last step's result is left to the caller, which completes the stage as for a single-stage config.
 */
@Injectable()
export class PipelineStepsService {
  private readonly pipelines = new Map<string, Promise<PipelineStep[]>>();

  constructor(
    private readonly repository: PipelineStepsRepository,
    private readonly dispatcher: WorkDispatcher,
    private readonly settings: StageSettings,
  ) {}

  async recordStep(event: ResponseGeneratedEvent): Promise<StepOutcome> {
    const steps = await this.pipeline(event.runId);
    const step = event.step ?? 0;
    const spec = steps[step];
    if (!spec) return { final: false };
    if (step === steps.length - 1) return { final: true, step, record: stepRecord(spec, event.model, event, undefined) };
    const next = await this.repository.advance(event.itemId, step, stepRecord(spec, event.model, event, event.output), event, this.settings.leaseMs);
    if (next?.state === ItemStageState.InFlight) await this.dispatcher.dispatch([next]);
    return { final: false };
  }

  /** A run's steps never change once it exists, so each process reads them once per run. */
  private pipeline(runId: string): Promise<PipelineStep[]> {
    let entry = this.pipelines.get(runId);
    if (!entry) {
      if (this.pipelines.size >= MAX_RUNS) this.pipelines.delete(this.pipelines.keys().next().value as string);
      entry = this.repository.config(runId).then((config) => (config ? pipelineOf(config) : []));
      entry.catch(() => this.pipelines.delete(runId));
      this.pipelines.set(runId, entry);
    }
    return entry;
  }
}
