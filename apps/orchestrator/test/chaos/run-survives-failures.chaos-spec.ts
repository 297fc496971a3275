// Issue 3's chaos tests: `npm run test:chaos` (or, after `npm run build`:
// `YARDSTICK_CHAOS=1 npx jest apps/orchestrator/test/chaos --selectProjects chaos --runInBand`).
// They run their own nats-server and Postgres cluster on free ports in temp directories; the shared 4222/5432
// are never touched (Redis is the shared 127.0.0.1:6379). A failing scenario prints every process's latest
// output and keeps the full logs under $TMPDIR/yardstick-chaos/; YARDSTICK_CHAOS_KEEP_LOGS=1 keeps them for passing ones too.
import { NatsServerProcess, PostgresCluster, SERVICES, ServiceName } from '@yardstick/testing';
import {
  CHAOS_ITEMS, CHAOS_PROVIDER_CONCURRENCY, ChaosInfrastructure, ChaosScenario, Disruption, outcomes, runChaosScenario,
} from './chaos-scenario';

/** How long nats-server stays down when restarted: long enough that publishes and pulls fail, not just reconnect. */
const NATS_OUTAGE_MS = 2_000;
const RETRY_AFTER_MS = 1_000;
/** Each scenario: ~8 s to start the stack, ~6 s of run, the disruption and its recovery; bounded if it never finishes. */
const SCENARIO_TIMEOUT_MS = 120_000;

const outage = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const killAndRestart = (service: ServiceName): Disruption => async (stack) => {
  await stack.kill(service, 'SIGKILL');
  await stack.restart(service);
  return { kills: 1, restarts: 1 };
};

const restartNats: Disruption = async (_stack, { nats }) => {
  await nats.stop();
  await outage(NATS_OUTAGE_MS);
  await nats.start();
  return { kills: 0, restarts: 1 };
};

const wipeJetStreamAndRestartNats: Disruption = async (_stack, { nats }) => {
  await nats.stop();
  nats.wipe();
  await outage(NATS_OUTAGE_MS);
  await nats.start();
  return { kills: 0, restarts: 1 };
};

const restartPostgresImmediately: Disruption = async (_stack, { postgres }) => {
  await postgres.restart('immediate');
  return { kills: 1, restarts: 1 };
};

describe(`a fast evaluation of ${CHAOS_ITEMS} items survives failures underneath it (own nats-server and Postgres)`, () => {
  let infra: ChaosInfrastructure;

  beforeAll(async () => {
    infra = { nats: new NatsServerProcess(), postgres: new PostgresCluster() };
    await Promise.all([infra.nats.start(), infra.postgres.start()]);
  }, 60_000);

  afterAll(async () => {
    if (outcomes.length) {
      console.log(`[chaos] summary\n${outcomes.map((o) =>
        `  ${o.scenario.padEnd(40)} ${o.status.padEnd(9)} items ${o.items} (${o.succeeded} ok, ${o.failed} failed)  kills ${o.kills}`
        + `  restarts ${o.restarts}  extra provider calls ${o.extraProviderCalls}  wall ${(o.wallMs / 1000).toFixed(1)} s`
        + `  ${o.broken.length ? `BROKE ${o.broken.length} guarantee(s)` : 'guarantees held'}`).join('\n')}`);
    }
    await Promise.all([infra?.nats.destroy(), infra?.postgres.destroy()]);
  }, 60_000);

  const run = (scenario: ChaosScenario) => runChaosScenario(scenario, infra);

  it.each(SERVICES)('completes every item exactly once when %s is killed with SIGKILL mid-run and started again', async (service) => {
    await run({
      name: `kill -9 ${service}`,
      disruption: killAndRestart(service),
      // Only llm-caller holds provider calls: those in flight when it dies may have been answered and not yet stored.
      allowedExtraProviderCalls: service === 'llm-caller' ? CHAOS_PROVIDER_CONCURRENCY : 0,
    });
  }, SCENARIO_TIMEOUT_MS);

  it('completes every item exactly once when nats-server restarts mid-run with its store', async () => {
    await run({ name: 'restart nats-server', disruption: restartNats, allowedExtraProviderCalls: 0 });
  }, SCENARIO_TIMEOUT_MS);

  it('completes every item exactly once when the JetStream store is wiped mid-run and nats-server restarts empty', async () => {
    await run({ name: 'wipe JetStream store, restart nats-server', disruption: wipeJetStreamAndRestartNats, allowedExtraProviderCalls: 0 });
  }, SCENARIO_TIMEOUT_MS);

  it('completes every item exactly once when Postgres restarts in immediate mode mid-run', async () => {
    await run({ name: 'restart Postgres -m immediate', disruption: restartPostgresImmediately, allowedExtraProviderCalls: 0 });
  }, SCENARIO_TIMEOUT_MS);

  it('completes the run and spaces retries by Retry-After while the provider answers 30% 429 and 10% 500', async () => {
    await run({
      name: 'provider 30% 429 + 10% 500',
      simEnv: {
        LLM_SIM_FAULT_429_RATE: '0.3', LLM_SIM_FAULT_500_RATE: '0.1', LLM_SIM_RETRY_AFTER_MS: String(RETRY_AFTER_MS),
      },
      providerFaults: true,
      retryAfterMs: RETRY_AFTER_MS,
      allowedExtraProviderCalls: 0,
    });
  }, SCENARIO_TIMEOUT_MS);
});
