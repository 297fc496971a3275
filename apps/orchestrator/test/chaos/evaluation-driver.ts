import { pollUntil } from '@yardstick/testing';

/** The parts of `GET /evaluations/:id` the chaos tests read. */
export interface RunBody {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  items_total: number;
  items_succeeded: number;
  items_failed: number;
  cost: { responses: number; embeddings: number; total_cost_usd: number };
  error: string | null;
}

/** The parts of an item of `GET /evaluations/:id/items` the chaos tests read. */
export interface ItemBody {
  id: string;
  index: number;
  state: 'in_progress' | 'succeeded' | 'failed' | 'cancelled';
  cost_usd: number;
  stages: Array<{ stage: string; state: string; attempt: number }>;
  error: { stage: string; code: string; message: string } | null;
}

/** llm-sim's `GET /sim/stats` (the fields used here). */
export interface SimStatsBody {
  total: number;
  by_endpoint: Record<string, number>;
  by_fingerprint: Record<string, number>;
  by_fingerprint_succeeded: Record<string, number>;
  faults: Record<string, number>;
}

/** llm-sim's `GET /sim/requests` (on when LLM_SIM_REQUEST_LOG_LIMIT > 0). */
export interface SimRequestLogBody {
  limit: number;
  dropped: number;
  requests: Array<{ fingerprint: string; endpoint: string; at_ms: number; outcome: number | string }>;
}

const PAGE = 500;
const MODEL = 'sim-small';

/** Drives a fast evaluation through the gateway's REST API, and reads llm-sim's counters. */
export class EvaluationDriver {
  constructor(
    private readonly gatewayUrl: string,
    private readonly simUrl: string,
    private readonly apiKey: string,
  ) {}

  /**
   * Teaches llm-sim the answers and uploads a dataset of `items` rows plus a config. Every question is unique, and
   * llm-sim answers each one right, so every text llm-caller sends (the prompt; the output and ground truth to embed,
   * whole or only the ones its embedding cache lacks) belongs to one item: a repeated request fingerprint in
   * llm-sim is a repeated call for one item. (A wrong answer is another item's answer, so two items could send the
   * same text to embed.)
   */
  async seed(items: number): Promise<{ datasetId: string; configId: string }> {
    const rows = Array.from({ length: items }, (_, i) => ({
      question: `Item ${i}: which code word was assigned to item number ${i}?`,
      answer: `Code word ${i} is ${['amber', 'birch', 'cedar', 'delta', 'ember'][i % 5]}-${(i * 7919) % 10007}`,
    }));
    await this.json('POST', `${this.simUrl}/sim/answer-key`, { items: rows, replace: true }, 200);
    await this.json('PUT', `${this.simUrl}/sim/config`, { accuracy: { [MODEL]: 1 } }, 200);
    const csv = `question,answer\n${rows.map((r) => `"${r.question}","${r.answer}"`).join('\n')}\n`;
    const form = new FormData();
    form.set('name', `chaos ${items}`);
    form.set('file', new Blob([csv]), 'chaos.csv');
    const dataset = await this.json<{ id: string; total_items_count: number }>('POST', `${this.gatewayUrl}/datasets`, form, 201);
    if (dataset.total_items_count !== items) throw new Error(`dataset has ${dataset.total_items_count} items, expected ${items}`);
    const config = await this.json<{ id: string }>('POST', `${this.gatewayUrl}/configs`, {
      name: `chaos ${MODEL}`, model: MODEL, instructions: 'Answer with the code word only.', prompt_template: 'Q: {{question}}',
      params: { temperature: 0 },
    }, 201);
    return { datasetId: dataset.id, configId: config.id };
  }

  async startRun(runName: string, datasetId: string, configId: string): Promise<RunBody> {
    return this.json<RunBody>('POST', `${this.gatewayUrl}/evaluations`, {
      run_name: runName, dataset_id: datasetId, config_id: configId, config_version: 1, run_mode: 'fast',
    }, 201);
  }

  getRun(runId: string): Promise<RunBody> {
    return this.json<RunBody>('GET', `${this.gatewayUrl}/evaluations/${runId}`, undefined, 200);
  }

  /** Polls the run until at least `share` of its items are finished (succeeded or failed); returns that snapshot. */
  waitForFinishedShare(runId: string, share: number, timeoutMs: number): Promise<RunBody> {
    return pollUntil(`${Math.round(share * 100)}% of the items of run ${runId} to finish`, async () => {
      const run = await this.getRun(runId);
      return finishedShare(run) >= share || run.status !== 'running' ? run : undefined;
    }, { timeoutMs, intervalMs: 20 });
  }

  /** Polls until the run leaves `running`, riding out the API's errors while the platform is disrupted. */
  waitForEnd(runId: string, timeoutMs: number): Promise<RunBody> {
    return pollUntil(`run ${runId} to finish`, async () => {
      const run = await this.getRun(runId);
      return run.status === 'running' ? undefined : run;
    }, { timeoutMs, intervalMs: 200 });
  }

  /** Every item of the run, page by page. */
  async allItems(runId: string): Promise<ItemBody[]> {
    const items: ItemBody[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.json<{ items: ItemBody[]; total: number }>(
        'GET', `${this.gatewayUrl}/evaluations/${runId}/items?limit=${PAGE}&offset=${offset}`, undefined, 200,
      );
      items.push(...page.items);
      if (page.items.length < PAGE || items.length >= page.total) return items;
    }
  }

  simStats(): Promise<SimStatsBody> {
    return this.json<SimStatsBody>('GET', `${this.simUrl}/sim/stats`, undefined, 200);
  }

  simRequests(): Promise<SimRequestLogBody> {
    return this.json<SimRequestLogBody>('GET', `${this.simUrl}/sim/requests`, undefined, 200);
  }

  private async json<T>(method: string, url: string, body: unknown, expectedStatus: number): Promise<T> {
    const headers: Record<string, string> = url.startsWith(this.gatewayUrl) ? { authorization: `Bearer ${this.apiKey}` } : {};
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(20_000) };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status !== expectedStatus) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}

export function finishedShare(run: RunBody): number {
  return (run.items_succeeded + run.items_failed) / run.items_total;
}
