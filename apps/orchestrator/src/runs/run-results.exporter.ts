import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { BLOB_STORE, BlobStore } from '@yardstick/blob-store';
import { Stage } from '@yardstick/contracts';

const PAGE = 1_000;

/** Writes a finished run's per-stage result units (JSON lines) to the blob store: `runs/<id>/<stage>.jsonl`. */
@Injectable()
export class RunResultsExporter {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async export(runId: string): Promise<void> {
    const columns: Record<Stage, string> = {
      [Stage.Responses]: `json_build_object('item_id', i.id, 'index', i.item_index, 'output', i.output, 'state', s.state,
        'input_tokens', s.input_tokens, 'output_tokens', s.output_tokens, 'latency_ms', s.latency_ms, 'cost_usd', s.cost_usd, 'error', s.error_message)`,
      [Stage.Embeddings]: `json_build_object('item_id', i.id, 'index', i.item_index, 'output_embedding', i.output_embedding, 'state', s.state,
        'total_tokens', s.total_tokens, 'cost_usd', s.cost_usd, 'error', s.error_message)`,
      [Stage.Scoring]: `json_build_object('item_id', i.id, 'index', i.item_index, 'score', i.score, 'scores', i.scores, 'scorer_errors', i.scorer_errors,
        'verdicts', i.verdicts, 'state', s.state, 'error', s.error_message)`,
    };
    for (const stage of Object.values(Stage)) {
      await this.blobs.put(`runs/${runId}/${stage}.jsonl`, Readable.from(this.lines(runId, stage, columns[stage])), {
        contentType: 'application/x-ndjson',
      });
    }
    await this.dataSource.query(`UPDATE evaluation_runs SET results_exported_at = now() WHERE id = $1`, [runId]);
  }

  /** Page by page in item order, each page after the last one's index (keyset: no OFFSET rescanning the run). */
  private async *lines(runId: string, stage: Stage, column: string): AsyncGenerator<string> {
    for (let after = -1; ;) {
      const rows: Array<{ line: object; index: number }> = await this.dataSource.query(
        `SELECT ${column} AS line, i.item_index AS index FROM run_items i LEFT JOIN item_stages s ON s.item_id = i.id AND s.stage = $2
         WHERE i.run_id = $1 AND i.item_index > $3 ORDER BY i.item_index LIMIT ${PAGE}`,
        [runId, stage, after],
      );
      for (const row of rows) yield `${JSON.stringify(row.line)}\n`;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].index;
    }
  }
}
