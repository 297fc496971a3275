import { Client } from 'pg';
import type { SimRequestLogBody, SimStatsBody } from './evaluation-driver';

const STAGES = ['responses', 'embeddings', 'scoring'];

/** What Postgres holds about one run, read straight from the orchestrator's and llm-caller's schemas. */
export interface StoredRunFacts {
  items: number;
  /** Items that do not have exactly one item_stages row for each of responses, embeddings and scoring. */
  itemsWithoutOneRowPerStage: Array<{ itemId: string; stages: string[] }>;
  /** (item, stage) pairs with more than one provider result. */
  repeatedProviderResults: Array<{ itemId: string; stage: string; rows: number }>;
  providerResults: number;
  /** Sum of cost_usd over the run's provider results. */
  providerResultsCostUsd: number;
}

export async function readStoredRunFacts(
  databaseUrl: string, schemas: { orchestrator: string; llmCaller: string }, runId: string,
): Promise<StoredRunFacts> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const stageRows = await client.query<{ item_id: string; stages: string[] | null }>(
      `SELECT i.id AS item_id, array_agg(s.stage::text ORDER BY s.stage) FILTER (WHERE s.stage IS NOT NULL) AS stages
       FROM "${schemas.orchestrator}".run_items i LEFT JOIN "${schemas.orchestrator}".item_stages s ON s.item_id = i.id
       WHERE i.run_id = $1 GROUP BY i.id`,
      [runId],
    );
    const repeated = await client.query<{ item_id: string; stage: string; rows: number }>(
      `SELECT item_id, stage::text AS stage, count(*)::int AS rows FROM "${schemas.llmCaller}".provider_results
       WHERE run_id = $1 GROUP BY item_id, stage HAVING count(*) > 1`,
      [runId],
    );
    const [results] = (await client.query<{ n: number; cost: string }>(
      `SELECT count(*)::int AS n, coalesce(sum(cost_usd), 0)::text AS cost FROM "${schemas.llmCaller}".provider_results WHERE run_id = $1`,
      [runId],
    )).rows;
    return {
      items: stageRows.rows.length,
      itemsWithoutOneRowPerStage: stageRows.rows
        .map((row) => ({ itemId: row.item_id, stages: row.stages ?? [] }))
        .filter((row) => row.stages.join() !== STAGES.join()),
      repeatedProviderResults: repeated.rows.map((row) => ({ itemId: row.item_id, stage: row.stage, rows: row.rows })),
      providerResults: results.n,
      providerResultsCostUsd: Number(results.cost),
    };
  } finally {
    await client.end();
  }
}

/**
 * Successful provider answers beyond the first for the same request. Every item's requests are unique (see
 * EvaluationDriver.seed), so each one is a provider call repeated for an item whose call had already succeeded.
 */
export function repeatedSuccessfulCalls(stats: SimStatsBody): { extraCalls: number; fingerprints: string[] } {
  const repeated = Object.entries(stats.by_fingerprint_succeeded).filter(([, n]) => n > 1);
  return { extraCalls: repeated.reduce((sum, [, n]) => sum + n - 1, 0), fingerprints: repeated.map(([fingerprint]) => fingerprint) };
}

export interface RetrySpacing {
  /** Requests that came after a 429 for the same fingerprint. */
  retriesAfter429: number;
  minGapMs: number | null;
  tooSoon: Array<{ fingerprint: string; gapMs: number }>;
}

/** For every request answered 429, how long until the same request came again: it must be at least Retry-After. */
export function retrySpacingAfter429(log: SimRequestLogBody, retryAfterMs: number): RetrySpacing {
  const byFingerprint = new Map<string, SimRequestLogBody['requests']>();
  for (const request of log.requests) {
    const list = byFingerprint.get(request.fingerprint) ?? [];
    list.push(request);
    byFingerprint.set(request.fingerprint, list);
  }
  const spacing: RetrySpacing = { retriesAfter429: 0, minGapMs: null, tooSoon: [] };
  for (const [fingerprint, requests] of byFingerprint) {
    requests.sort((a, b) => a.at_ms - b.at_ms);
    for (let i = 0; i + 1 < requests.length; i++) {
      if (requests[i].outcome !== 429) continue;
      const gapMs = requests[i + 1].at_ms - requests[i].at_ms;
      spacing.retriesAfter429 += 1;
      spacing.minGapMs = spacing.minGapMs === null ? gapMs : Math.min(spacing.minGapMs, gapMs);
      if (gapMs < retryAfterMs) spacing.tooSoon.push({ fingerprint, gapMs: Math.round(gapMs * 10) / 10 });
    }
  }
  return spacing;
}

/** For each fingerprint, its requests as `<endpoint> <outcome>@<seconds after origin>`: when repeats happened, next to the disruption. */
export function requestTimelines(log: SimRequestLogBody, fingerprints: string[], originMs: number): string[] {
  const wanted = new Set(fingerprints);
  const byFingerprint = new Map<string, string[]>();
  for (const request of [...log.requests].sort((a, b) => a.at_ms - b.at_ms)) {
    if (!wanted.has(request.fingerprint)) continue;
    const list = byFingerprint.get(request.fingerprint) ?? [];
    list.push(`${request.outcome}@${((request.at_ms - originMs) / 1000).toFixed(2)}s`);
    byFingerprint.set(request.fingerprint, list);
  }
  return [...byFingerprint].map(([fingerprint, entries]) => {
    const endpoint = log.requests.find((r) => r.fingerprint === fingerprint)?.endpoint;
    return `${endpoint} ${fingerprint.slice(0, 8)}: ${entries.join(', ')}`;
  });
}
