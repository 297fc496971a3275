import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NatsServerProcess, PostgresCluster, YardstickStack } from '@yardstick/testing';
import { EvaluationDriver, finishedShare, ItemBody, RunBody } from './evaluation-driver';
import { readStoredRunFacts, repeatedSuccessfulCalls, requestTimelines, retrySpacingAfter429 } from './run-invariants';

const ROOT = resolve(__dirname, '../../../..');

/** At least 300 items, as issue 3 asks. */
export const CHAOS_ITEMS = 300;
/**
 * llm-caller's provider concurrency in chaos runs: it bounds the provider calls in flight when llm-caller is
 * killed (the only repeats allowed), and at 50 ms latency it paces a 300-item run over ~6 s, so the disruption
 * lands reliably inside the 20-40% window.
 */
export const CHAOS_PROVIDER_CONCURRENCY = 8;
const INJECT_AT_SHARE = 0.2;
const INJECT_BY_SHARE = 0.4;
const REACH_WINDOW_TIMEOUT_MS = 30_000;
const FINISH_TIMEOUT_MS = 45_000;

/** Issue 3's service environment for chaos runs: lost work is re-driven quickly, retries are fast and plentiful. */
const CHAOS_ENV: Record<string, string> = {
  ITEM_LEASE_MS: '8000',
  RECONCILE_INTERVAL_MS: '500',
  MAX_ATTEMPTS: '20',
  RETRY_BASE_DELAY_MS: '200',
  RETRY_MAX_DELAY_MS: '5000',
  PROVIDER_TIMEOUT_MS: '10000',
};

export interface ChaosInfrastructure {
  nats: NatsServerProcess;
  postgres: PostgresCluster;
}

/** A failure injected once, mid-run; returns how many processes it killed and started again. */
export type Disruption = (stack: YardstickStack, infra: ChaosInfrastructure) => Promise<{ kills: number; restarts: number }>;

export interface ChaosScenario {
  name: string;
  /** Injected when INJECT_AT_SHARE of the items have finished; none for provider-fault scenarios. */
  disruption?: Disruption;
  /** llm-sim settings for the whole run (faults); latency is always ~50 ms. */
  simEnv?: Record<string, string>;
  /** Successful provider calls that may repeat: the calls in flight when llm-caller is killed, 0 otherwise. */
  allowedExtraProviderCalls: number;
  /** With provider faults items may fail for good; without, every item must succeed. */
  providerFaults?: boolean;
  /** When llm-sim answers 429, the Retry-After it sends: every retry of that request must come at least this late. */
  retryAfterMs?: number;
}

/** The figures a scenario reports. */
export interface ChaosOutcome {
  scenario: string;
  items: number;
  succeeded: number;
  failed: number;
  kills: number;
  restarts: number;
  extraProviderCalls: number;
  injectedAtShare: number | null;
  wallMs: number;
  status: string;
  /** The guarantees this run broke (empty when it passed). */
  broken: string[];
}

/** Every scenario's figures, in the order they ran, for the closing table. */
export const outcomes: ChaosOutcome[] = [];

/** Makes sure the private nats-server and Postgres run (an earlier scenario may have left them down). */
export async function ensureInfrastructure(infra: ChaosInfrastructure): Promise<void> {
  if (!infra.nats.running) await infra.nats.start();
  await infra.postgres.start();
}

/**
 * Runs one fast evaluation of CHAOS_ITEMS items through the gateway on a fresh stack, injects the scenario's
 * failure mid-run, and asserts issue 3's guarantees. On failure every process's latest output is printed and
 * the full logs are kept on disk.
 */
export async function runChaosScenario(scenario: ChaosScenario, infra: ChaosInfrastructure): Promise<ChaosOutcome> {
  await ensureInfrastructure(infra);
  const logDir = join(tmpdir(), 'yardstick-chaos', `${Date.now()}-${scenario.name.replace(/[^a-z0-9]+/gi, '-')}`);
  mkdirSync(logDir, { recursive: true });
  const stack = new YardstickStack({
    root: ROOT,
    databaseUrl: infra.postgres.databaseUrl,
    natsUrl: infra.nats.url,
    simEnv: {
      LLM_SIM_LATENCY_MS: '50', LLM_SIM_EMBED_LATENCY_MS: '50', LLM_SIM_REQUEST_LOG_LIMIT: '100000', ...scenario.simEnv,
    },
    env: CHAOS_ENV,
    serviceEnv: { 'llm-caller': { PROVIDER_CONCURRENCY: String(CHAOS_PROVIDER_CONCURRENCY) } },
    logDir,
  });
  let passed = false;
  try {
    await stack.start();
    const outcome = await driveAndCheck(scenario, stack, infra);
    passed = true;
    return outcome;
  } catch (error) {
    console.error(`[chaos] ${scenario.name} FAILED; full logs in ${logDir}\n${failureReport(stack, infra)}`);
    throw error;
  } finally {
    await stack.stop().catch((error: Error) => console.warn(`[chaos] ${scenario.name}: cleanup failed: ${error.message}`));
    if (passed && !process.env.YARDSTICK_CHAOS_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
  }
}

async function driveAndCheck(scenario: ChaosScenario, stack: YardstickStack, infra: ChaosInfrastructure): Promise<ChaosOutcome> {
  const driver = new EvaluationDriver(stack.gatewayUrl, stack.simUrl, stack.apiKey);
  const { datasetId, configId } = await driver.seed(CHAOS_ITEMS);
  const started = Date.now();
  const created = await driver.startRun(`chaos ${scenario.name}`, datasetId, configId);

  let injectedAt: RunBody | undefined;
  let disruptedMs = { from: 0, to: 0 };
  let counts = { kills: 0, restarts: 0 };
  if (scenario.disruption) {
    injectedAt = await driver.waitForFinishedShare(created.id, INJECT_AT_SHARE, REACH_WINDOW_TIMEOUT_MS);
    disruptedMs = { from: Date.now() - started, to: 0 };
    counts = await scenario.disruption(stack, infra);
    disruptedMs.to = Date.now() - started;
  }
  // A run that never finishes is reported with everything else below, from its last state.
  const run = await driver.waitForEnd(created.id, FINISH_TIMEOUT_MS).catch(() => driver.getRun(created.id));
  const wallMs = Date.now() - started;

  const items = await driver.allItems(run.id);
  const stored = await readStoredRunFacts(stack.databaseUrl, {
    orchestrator: stack.schema('orchestrator'), llmCaller: stack.schema('llm-caller'),
  }, run.id);
  const stats = await driver.simStats();
  const repeats = repeatedSuccessfulCalls(stats);
  const outcome: ChaosOutcome = {
    scenario: scenario.name,
    items: items.length,
    succeeded: items.filter((i) => i.state === 'succeeded').length,
    failed: items.filter((i) => i.state === 'failed').length,
    ...counts,
    extraProviderCalls: repeats.extraCalls,
    injectedAtShare: injectedAt ? finishedShare(injectedAt) : null,
    wallMs,
    status: run.status,
    broken: [],
  };
  outcomes.push(outcome);
  console.log(summaryLine(outcome, scenario, stack));
  if (repeats.extraCalls > 0) {
    const timelines = requestTimelines(await driver.simRequests(), repeats.fingerprints.slice(0, 8), started);
    console.log(`[chaos] ${scenario.name}: repeated successful provider requests (outcome@seconds after the run started; `
      + `disruption from ${(disruptedMs.from / 1000).toFixed(2)}s to ${(disruptedMs.to / 1000).toFixed(2)}s):\n  ${timelines.join('\n  ')}`);
  }

  // Every guarantee is checked and every broken one listed, so one failing run shows all that went wrong.
  const { broken } = outcome;
  const check = (ok: boolean, guarantee: string, details?: unknown) => {
    if (!ok) broken.push(details === undefined ? guarantee : `${guarantee}: ${JSON.stringify(details)}`);
  };
  if (injectedAt) {
    // The failure must hit a run in progress, or the scenario proves nothing.
    const share = finishedShare(injectedAt);
    check(injectedAt.status === 'running' && share <= INJECT_BY_SHARE, 'the failure was injected mid-run (20-40% of items finished)', {
      status: injectedAt.status, share,
    });
  }
  check(run.status === 'completed', 'the run completes', { status: run.status, error: run.error });
  check(items.length === CHAOS_ITEMS, `the run lists its ${CHAOS_ITEMS} items`, { listed: items.length });
  const unfinished = items.filter((item) => item.state !== 'succeeded' && item.state !== 'failed');
  check(unfinished.length === 0, '0 items without a final state', examples(unfinished));
  if (!scenario.providerFaults) {
    const failed = items.filter((item) => item.state === 'failed');
    check(failed.length === 0, 'without provider faults every item succeeds', examples(failed));
  }

  check(stored.items === CHAOS_ITEMS, `run_items holds the run's ${CHAOS_ITEMS} items`, { rows: stored.items });
  check(stored.itemsWithoutOneRowPerStage.length === 0, 'every item has exactly one item_stages row per stage', {
    count: stored.itemsWithoutOneRowPerStage.length, examples: stored.itemsWithoutOneRowPerStage.slice(0, 5),
  });
  check(stored.repeatedProviderResults.length === 0, 'at most one provider result per (item, stage)', stored.repeatedProviderResults.slice(0, 5));

  check(repeats.extraCalls <= scenario.allowedExtraProviderCalls, 'no provider call repeated for an item whose call had succeeded', {
    extraCalls: repeats.extraCalls, allowed: scenario.allowedExtraProviderCalls, fingerprints: repeats.fingerprints.length,
  });

  const itemCost = items.reduce((sum, item) => sum + item.cost_usd, 0);
  check(run.cost.total_cost_usd > 0, 'the run has a cost');
  check(Math.abs(run.cost.total_cost_usd - itemCost) <= 1e-9, 'run cost equals the sum of item costs', {
    run: run.cost.total_cost_usd, items: itemCost,
  });
  // Each stored provider result is counted once in the run's cost: not twice, and none left out.
  check(Math.abs(run.cost.total_cost_usd - stored.providerResultsCostUsd) <= 1e-9, 'run cost equals the sum of stored provider results', {
    run: run.cost.total_cost_usd, providerResults: stored.providerResultsCostUsd, rows: stored.providerResults,
  });

  if (scenario.retryAfterMs !== undefined) {
    const log = await driver.simRequests();
    const spacing = retrySpacingAfter429(log, scenario.retryAfterMs);
    console.log(`[chaos] ${scenario.name}: ${spacing.retriesAfter429} retries after a 429, shortest gap ${spacing.minGapMs?.toFixed(1)} ms`
      + ` (Retry-After ${scenario.retryAfterMs} ms); injected faults ${JSON.stringify(stats.faults)}`);
    check(log.dropped === 0, 'llm-sim kept every request in its log', { dropped: log.dropped });
    check(stats.faults['429'] > 0 && spacing.retriesAfter429 > 0, 'llm-sim answered 429s and they were retried', {
      faults: stats.faults, retriesAfter429: spacing.retriesAfter429,
    });
    check(spacing.tooSoon.length === 0, `retries of a request answered 429 come at least Retry-After (${scenario.retryAfterMs} ms) later`, {
      count: spacing.tooSoon.length, examples: spacing.tooSoon.slice(0, 5),
    });
  }
  expect(broken).toEqual([]);
  return outcome;
}

function examples(items: ItemBody[]): { count: number; examples: string[] } {
  return { count: items.length, examples: items.slice(0, 5).map(describeItem) };
}

function describeItem(item: ItemBody): string {
  const stages = item.stages.map((s) => `${s.stage}:${s.state}#${s.attempt}`).join(' ');
  return `item ${item.index} ${item.state} [${stages}]${item.error ? ` ${item.error.stage} ${item.error.code}: ${item.error.message}` : ''}`;
}

function summaryLine(outcome: ChaosOutcome, scenario: ChaosScenario, stack: YardstickStack): string {
  const injected = outcome.injectedAtShare === null ? 'faults for the whole run' : `injected at ${Math.round(outcome.injectedAtShare * 100)}% finished`;
  const crashes = stack.unexpectedExits().map((e) => `${e.name} (code ${e.code}, signal ${e.signal})`);
  return `[chaos] ${outcome.scenario}: status ${outcome.status}, items ${outcome.items} (${outcome.succeeded} succeeded, ${outcome.failed} failed), `
    + `kills ${outcome.kills}, restarts ${outcome.restarts}, extra provider calls ${outcome.extraProviderCalls} `
    + `(allowed ${scenario.allowedExtraProviderCalls}), ${injected}, wall ${(outcome.wallMs / 1000).toFixed(1)} s`
    + (crashes.length ? `, exited on their own: ${crashes.join(', ')}` : '');
}

function failureReport(stack: YardstickStack, infra: ChaosInfrastructure): string {
  return [
    stack.dumpLogs(5_000),
    `===== nats-server =====\n${infra.nats.logs().slice(-2_000)}`,
    `===== postgres =====\n${infra.postgres.logs().slice(-2_000)}`,
  ].join('\n');
}
