import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ItemStageState, ItemState, ListRunItemsRequest, ListRunsRequest, Page, RunItemView, RunStatus, RunView, Stage,
  ServiceErrorCode, ServiceException, TokenUsage,
} from '@yardstick/contracts';
import { EvaluationRunEntity } from './evaluation-run.entity';
import { PipelineStepRecord } from '../stages/pipeline';
import { RunAggregatesRepository } from './run-aggregates.repository';

interface ItemRow {
  id: string; item_index: number; replicate: number; dataset_item_id: string; category: string | null; question: string;
  ground_truth: string; output: string | null; state: ItemState; score: number | null; scores: Record<string, number>;
  human_scores: NonNullable<RunItemView['humanScores']>;
  scorer_errors: NonNullable<RunItemView['scorerErrors']>;
  verdicts: NonNullable<RunItemView['verdicts']>;
  error_stage: Stage | null; error_code: string | null; error_message: string | null;
  step_outputs: PipelineStepRecord[] | null;
  stages: Array<{ stage: Stage; state: ItemStageState; attempt: number; input_tokens: number | null; output_tokens: number | null;
    total_tokens: number | null; latency_ms: number | null; cost_usd: number; cache_hit: boolean; error_code: string | null; error_message: string | null }>;
}

/** Reads runs and items for the API; every query is scoped by project. */
@Injectable()
export class RunViewsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly aggregates: RunAggregatesRepository,
  ) {}

  async get(projectId: string, runId: string): Promise<RunView> {
    const run = await this.dataSource.manager.findOne(EvaluationRunEntity, { where: { id: runId, projectId } });
    if (!run) throw new ServiceException(ServiceErrorCode.NotFound, `evaluation ${runId} not found`);
    return this.toView(run);
  }

  async list(request: ListRunsRequest): Promise<Page<RunView>> {
    const [runs, total] = await this.dataSource.manager.findAndCount(EvaluationRunEntity, {
      where: { projectId: request.projectId, ...(request.status ? { status: request.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: request.limit,
      skip: request.offset,
    });
    return { items: await Promise.all(runs.map((run) => this.toView(run))), total, limit: request.limit, offset: request.offset };
  }

  async items(request: ListRunItemsRequest): Promise<Page<RunItemView>> {
    const { itemsTotal } = await this.get(request.projectId, request.runId);
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT i.id, i.item_index, i.replicate, i.dataset_item_id, i.category, i.question, i.ground_truth, i.output, i.state, i.score,
              i.scores, i.scorer_errors, i.verdicts, i.error_stage, i.error_code, i.error_message,
              (SELECT r.step_outputs FROM item_stages r WHERE r.item_id = i.id AND r.stage = 'responses') AS step_outputs,
              coalesce(json_agg(json_build_object('stage', s.stage, 'state', s.state, 'attempt', s.attempt, 'input_tokens', s.input_tokens,
                'output_tokens', s.output_tokens, 'total_tokens', s.total_tokens, 'latency_ms', s.latency_ms, 'cost_usd', s.cost_usd::float8,
                'cache_hit', s.cache_hit,
                'error_code', s.error_code, 'error_message', s.error_message) ORDER BY s.stage) FILTER (WHERE s.stage IS NOT NULL), '[]') AS stages,
              coalesce((SELECT json_agg(json_build_object('rater', h.rater, 'value', h.value, 'comment', h.comment) ORDER BY h.rater)
                        FROM human_scores h WHERE h.item_id = i.id), '[]') AS human_scores
       FROM run_items i LEFT JOIN item_stages s ON s.item_id = i.id
       WHERE i.run_id = $1 AND i.project_id = $2
       GROUP BY i.id ORDER BY i.item_index LIMIT $3 OFFSET $4`,
      [request.runId, request.projectId, request.limit, request.offset],
    );
    return { items: rows.map(toItemView), total: itemsTotal, limit: request.limit, offset: request.offset };
  }

  private async toView(run: EvaluationRunEntity): Promise<RunView> {
    const [progress, { usage, cost }, cache, live] = await Promise.all([
      this.aggregates.progress(run.id),
      this.aggregates.usageAndCost(run.id),
      this.aggregates.cache(run.id),
      isActive(run.status) ? this.aggregates.score(run.id) : null,
    ]);
    const counts = isActive(run.status) ? await this.aggregates.itemCounts(run.id) : null;
    return {
      id: run.id,
      projectId: run.projectId,
      runName: run.runName,
      runMode: run.runMode,
      status: run.status,
      datasetId: run.datasetId,
      configId: run.configId,
      configVersion: run.configVersion,
      itemsTotal: run.itemsTotal,
      itemsSucceeded: counts?.succeeded ?? run.itemsSucceeded,
      itemsFailed: counts?.failed ?? run.itemsFailed,
      progress,
      score: live ?? { mean: run.scoreMean, std: run.scoreStd, count: run.scoreCount },
      usage,
      cost,
      failureThreshold: run.failureThreshold,
      error: run.error,
      pausedReason: run.pausedReason,
      attempt: run.attempt,
      cacheMode: run.cacheMode,
      cache,
      warnings: run.warnings,
      execution: run.execution ?? run.runMode,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      completedAt: run.completedAt?.toISOString() ?? null,
    };
  }
}

/** Running or paused: its aggregates still change, so they are computed live. */
function isActive(status: RunStatus): boolean {
  return status === RunStatus.Running || status === RunStatus.Paused;
}

function toItemView(row: ItemRow): RunItemView {
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let costUsd = 0;
  for (const stage of row.stages) {
    usage.inputTokens += stage.input_tokens ?? 0;
    usage.outputTokens += stage.output_tokens ?? 0;
    usage.totalTokens += stage.total_tokens ?? 0;
    costUsd += stage.cost_usd;
  }
  return {
    id: row.id,
    index: row.item_index,
    replicate: row.replicate,
    datasetItemId: row.dataset_item_id,
    category: row.category,
    question: row.question,
    groundTruth: row.ground_truth,
    output: row.output,
    state: row.state,
    score: row.score,
    scores: row.scores,
    scorerErrors: row.scorer_errors,
    verdicts: row.verdicts,
    humanScores: row.human_scores,
    usage,
    latencyMs: row.stages.find((s) => s.stage === Stage.Responses)?.latency_ms ?? null,
    costUsd: Number(costUsd.toFixed(10)),
    stages: row.stages.map((s) => ({
      stage: s.stage,
      state: s.state,
      attempt: s.attempt,
      usage: s.total_tokens === null ? null : { inputTokens: s.input_tokens ?? 0, outputTokens: s.output_tokens ?? 0, totalTokens: s.total_tokens },
      latencyMs: s.latency_ms,
      costUsd: s.cost_usd,
      cacheHit: s.cache_hit,
      error: s.error_code ? { code: s.error_code, message: s.error_message ?? '' } : null,
    })),
    pipelineSteps: (row.step_outputs ?? []).map((p) => ({
      name: p.name, model: p.model, output: p.output ?? row.output ?? '',
      usage: { inputTokens: p.input_tokens, outputTokens: p.output_tokens, totalTokens: p.total_tokens },
      costUsd: p.cost_usd, latencyMs: p.latency_ms, cacheHit: p.cache_hit,
    })),
    error: row.error_stage ? { stage: row.error_stage, code: row.error_code ?? 'unknown', message: row.error_message ?? '' } : null,
  };
}
