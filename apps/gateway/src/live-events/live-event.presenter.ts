import { LiveEventData, LiveEventType } from '@yardstick/contracts';

/** The public (snake_case) `data` of a live event; the SSE event name is its type. */
export function presentLiveEvent(data: LiveEventData): Record<string, unknown> {
  switch (data.type) {
    case LiveEventType.Progress:
      return {
        run_id: data.runId, status: data.status, attempt: data.attempt, items_total: data.itemsTotal, items_succeeded: data.itemsSucceeded,
        items_failed: data.itemsFailed, items_in_progress: data.itemsInProgress, score: data.score,
      };
    case LiveEventType.Items:
      return {
        run_id: data.runId,
        items: data.items.map((item) => ({
          item_id: item.itemId, item_index: item.itemIndex, replicate: item.replicate, state: item.state, score: item.score,
        })),
      };
    case LiveEventType.Status:
      return {
        run_id: data.runId, status: data.status, attempt: data.attempt, reason: data.reason,
        ...(data.itemsTotal === undefined ? {} : {
          items_total: data.itemsTotal, items_succeeded: data.itemsSucceeded, items_failed: data.itemsFailed, score: data.score,
        }),
      };
    case LiveEventType.ExperimentStatus:
      return {
        experiment_id: data.experimentId, status: data.status, change: data.change, reason: data.reason,
        ...(data.configsCompleted === undefined ? {} : {
          configs_completed: data.configsCompleted, best_config_id: data.bestConfigId, best_score: data.bestScore,
          spent: { cost_usd: data.spentCostUsd, tokens: data.spentTokens },
        }),
      };
    case LiveEventType.ExperimentProgress:
      return {
        experiment_id: data.experimentId, status: data.status, configs_planned: data.configsPlanned, configs_running: data.configsRunning,
        configs_done: data.configsDone, spent: { cost_usd: data.spentCostUsd, tokens: data.spentTokens },
      };
    case LiveEventType.ConfigCompleted:
    case LiveEventType.NewBest:
      return {
        experiment_id: data.experimentId, config_id: data.configId, run_id: data.runId, ordinal: data.ordinal, params: data.params,
        run_status: data.runStatus, score: data.score, cost_usd: data.costUsd,
      };
  }
}
