import { Injectable, Logger } from '@nestjs/common';
import { LiveEventPublisher } from '@yardstick/bus';
import {
  ExperimentConfigCompletedEvent, ExperimentFinishedEvent, ExperimentStartedEvent, ExperimentStatus, LiveEventType, LiveSubjects, Subjects,
} from '@yardstick/contracts';
import { ExperimentLiveRepository } from './experiment-live.repository';

const FINISHED_SUBJECTS: string[] = [Subjects.ExperimentCompleted, Subjects.ExperimentStopped, Subjects.ExperimentBudgetExhausted];

/** Outbox rows whose relay also publishes the experiment's live events (`ExperimentLiveEvents.relayed`). */
export const EXPERIMENT_LIVE_SUBJECTS: string[] = [Subjects.ExperimentStarted, Subjects.ExperimentConfigCompleted, Subjects.ExperimentNewBest, ...FINISHED_SUBJECTS];

/**
 * Publishes an experiment's live progress (`progress.experiment.<id>`, stream PROGRESS) for SSE clients. What the
 * outbox announces (started, config_completed, new_best, the terminal status) is published when the outbox relays it,
 * and a failure makes the relay retry, so these are as certain as the eval.experiment.* events; pauses, resumes and
 * progress snapshots are published after their change commits and are advisory. Message ids come from content (the
 * outbox row, the transition's time, the counts), so a repeated publish inside the duplicate window is stored once.
 */
@Injectable()
export class ExperimentLiveEvents {
  private readonly logger = new Logger(ExperimentLiveEvents.name);

  constructor(
    private readonly publisher: LiveEventPublisher,
    private readonly experiments: ExperimentLiveRepository,
  ) {}

  /** Called by the outbox relay with a row of `EXPERIMENT_LIVE_SUBJECTS`; throws so the relay retries. */
  async relayed(rowId: string, subject: string, payload: object): Promise<void> {
    if (subject === Subjects.ExperimentStarted) {
      const event = payload as ExperimentStartedEvent;
      await this.publish(event.experimentId, `${rowId}:live`, {
        type: LiveEventType.ExperimentStatus, experimentId: event.experimentId, status: ExperimentStatus.Running, change: 'started', reason: null,
      });
      await this.progress(event.experimentId, true);
    } else if (subject === Subjects.ExperimentConfigCompleted || subject === Subjects.ExperimentNewBest) {
      const event = payload as ExperimentConfigCompletedEvent;
      // Both rows commit together and may be relayed in either order: new_best always follows its config_completed.
      await this.configEvent(LiveEventType.ConfigCompleted, event);
      if (subject === Subjects.ExperimentNewBest) await this.configEvent(LiveEventType.NewBest, event);
      else await this.progress(event.experimentId, true);
    } else if (FINISHED_SUBJECTS.includes(subject)) {
      const event = payload as ExperimentFinishedEvent;
      await this.progress(event.experimentId, true);
      await this.publish(event.experimentId, `${rowId}:live`, {
        type: LiveEventType.ExperimentStatus, experimentId: event.experimentId, status: event.status,
        change: event.status as 'completed' | 'stopped' | 'budget_exhausted', reason: event.reason, configsCompleted: event.configsCompleted,
        bestConfigId: event.bestConfigId, bestScore: event.bestScore, spentCostUsd: event.spentCostUsd, spentTokens: event.spentTokens,
      });
    }
  }

  /** A pause or a resume, after it committed (the caller holds the experiment's lock). Never throws: progress is advisory. */
  async statusChanged(experimentId: string, change: 'paused' | 'resumed', reason: string | null): Promise<void> {
    try {
      const snapshot = await this.experiments.snapshot(experimentId);
      if (!snapshot) return;
      await this.publish(experimentId, `${experimentId}:${change}:${Math.round(snapshot.changedAtMs)}`, {
        type: LiveEventType.ExperimentStatus, experimentId, status: snapshot.status, change, reason,
      });
    } catch (error) {
      this.logger.warn(`live ${change} of experiment ${experimentId} not published: ${(error as Error).message}`);
    }
  }

  /** A snapshot of the configs and spending; throws only when `strict` (the relay's callers must know). */
  async progress(experimentId: string, strict = false): Promise<void> {
    try {
      const s = await this.experiments.snapshot(experimentId);
      if (!s) return;
      await this.publish(experimentId, `${experimentId}:progress:${s.status}:${s.configsRunning}:${s.configsDone}:${s.spentTokens}`, {
        type: LiveEventType.ExperimentProgress, experimentId, status: s.status, configsPlanned: s.configsPlanned,
        configsRunning: s.configsRunning, configsDone: s.configsDone, spentCostUsd: s.spentCostUsd, spentTokens: s.spentTokens,
      });
    } catch (error) {
      if (strict) throw error;
      this.logger.warn(`live progress of experiment ${experimentId} not published: ${(error as Error).message}`);
    }
  }

  private async configEvent(type: LiveEventType.ConfigCompleted | LiveEventType.NewBest, event: ExperimentConfigCompletedEvent): Promise<void> {
    await this.publish(event.experimentId, `${event.configId}:${type}:live`, {
      type, experimentId: event.experimentId, configId: event.configId, runId: event.runId, ordinal: event.ordinal, params: event.params,
      runStatus: event.runStatus, score: event.score, costUsd: event.costUsd,
    });
  }

  private async publish(experimentId: string, messageId: string, data: Parameters<LiveEventPublisher['publish']>[1]): Promise<void> {
    await this.publisher.publish(LiveSubjects.experiment(experimentId), data, { messageId, correlationId: experimentId });
  }
}
