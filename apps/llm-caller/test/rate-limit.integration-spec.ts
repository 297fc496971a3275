import { existsSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { uniqueTestId } from '@yardstick/testing';
import { ProviderRateLimiter, RateLimitWaitExceeded } from '../src/rate-limit';
import { LuaScript } from '../src/rate-limit/rate-limit.scripts';
import { bucketShape } from '../src/rate-limit/token-bucket';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lateness, maxInAnyWindow } from './rate-limit/admissions';
import { LimiterReplica, startCountingServer, startLimiterReplica } from './rate-limit/replica-process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * How much later than Redis granted it an admission may be timestamped: by the caller (event loop) or by the server
 * the call reached (two more processes, loopback HTTP, a busy test machine). Well under one request's 102 ms.
 */
const LATENESS_MS = { caller: 60, server: 250 };
const silent = { warn: () => undefined };

/** A connection like llm-caller's own (redis.module.ts): commands fail at once rather than queue while Redis is away. */
async function connectReplica(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  await redis.connect();
  return redis;
}

async function rejection(promise: Promise<unknown>): Promise<RateLimitWaitExceeded> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(RateLimitWaitExceeded);
  return error as RateLimitWaitExceeded;
}

async function timed<T>(promise: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await promise;
  return [value, Date.now() - started];
}

describe('ProviderRateLimiter across replicas (real Redis)', () => {
  const keyPrefix = `${uniqueTestId('rl')}:`;
  const connections: Redis[] = [];
  let replicaA: ProviderRateLimiter;
  let replicaB: ProviderRateLimiter;
  /** Shares replica B's connection but gives up at once: its RateLimitWaitExceeded tells how long a call would wait. */
  let impatient: ProviderRateLimiter;

  beforeAll(async () => {
    const [a, b] = [await connectReplica(), await connectReplica()];
    connections.push(a, b);
    replicaA = new ProviderRateLimiter(a, { keyPrefix, logger: silent });
    replicaB = new ProviderRateLimiter(b, { keyPrefix, logger: silent });
    impatient = new ProviderRateLimiter(b, { keyPrefix, logger: silent, maxWaitMs: 50 });
  });

  afterAll(async () => {
    const cleaner = await connectReplica();
    for await (const keys of cleaner.scanStream({ match: `${keyPrefix}*` }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await cleaner.del(...keys);
    }
    await Promise.all([cleaner, ...connections].map((redis) => redis.quit().catch(() => redis.disconnect())));
  });

  it('keeps two replicas together within the requests-per-minute limit, allowing only the documented one-second burst', async () => {
    const limits = { requestsPerMinute: 600 };
    const shape = bucketShape(limits.requestsPerMinute)!;
    const evals = connections.map((redis) => jest.spyOn(redis, 'evalsha'));
    const admitted: number[] = [];
    // Admissions are stamped on this event loop: a stall on a busy machine makes stamps late by as much as the stall.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const stopAt = Date.now() + 2_500;
    const loop = async (replica: ProviderRateLimiter): Promise<void> => {
      const stop = AbortSignal.timeout(stopAt - Date.now()); // a caller's own signal, as each provider call has
      while (!stop.aborted) {
        const permit = await replica.acquire('rpm', limits, 1, stop).catch(() => undefined);
        if (!permit) return;
        admitted.push(Date.now());
        await permit.release();
      }
    };
    await Promise.all([replicaA, replicaB].flatMap((replica) => Array.from({ length: 8 }, () => loop(replica))));
    loopDelay.disable();
    const times = admitted.sort((x, y) => x - y);
    const durationMs = times[times.length - 1] - times[0];

    expect(lateness(times, shape)).toBeLessThanOrEqual(LATENESS_MS.caller + loopDelay.max / 1e6);
    // 10 a second (600 a minute) plus the one-second burst; once the burst is spent, 10 a second (+1 for timing).
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(600 / 60 + shape.capacity);
    expect(maxInAnyWindow(times.filter((t) => t >= times[0] + 500), 1_000)).toBeLessThanOrEqual(600 / 60 + 1);
    // ...and the limiter does not hold calls back much below it.
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(0.85 * (shape.capacity + durationMs / shape.msPerUnit)));
    // Only the head of each replica's local line asks Redis, about once per wait.
    const asked = evals.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    expect(asked).toBeLessThan(6 * times.length);
    evals.forEach((spy) => spy.mockRestore());
  });

  it('charges the estimated tokens to the tokens-per-minute budget and corrects them with the actual usage', async () => {
    const limits = { tokensPerMinute: 6_000 };
    const { capacity, msPerUnit } = bucketShape(limits.tokensPerMinute)!;
    const [permit, waitedMs] = await timed(replicaA.acquire('tpm', limits, 500));
    expect(waitedMs).toBeLessThan(200); // the bucket was full: an oversized request goes, leaving a debt

    const whileEstimated = await rejection(impatient.acquire('tpm', limits, 100));
    expect(whileEstimated.reason).toBe('tokens');
    expect(whileEstimated.retryAfterMs).toBeGreaterThan((500 - capacity + 100) * msPerUnit - 300);
    expect(whileEstimated.retryAfterMs).toBeLessThanOrEqual((500 - capacity + 100) * msPerUnit + 1);

    await permit.release(50);
    const corrected = await rejection(impatient.acquire('tpm', limits, 100));
    expect(corrected.retryAfterMs).toBeLessThanOrEqual(50 * msPerUnit + 1);
    const [, waitedAfterCorrection] = await timed(replicaB.acquire('tpm', limits, 40));
    expect(waitedAfterCorrection).toBeLessThan(200);
  });

  it('never lets more calls than the concurrency cap run at once across replicas', async () => {
    const limits = { maxConcurrency: 3 };
    let running = 0;
    let mostRunning = 0;
    const worker = async (replica: ProviderRateLimiter): Promise<void> => {
      for (let call = 0; call < 5; call += 1) {
        const permit = await replica.acquire('concurrency', limits, 0);
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
        running -= 1;
        await permit.release();
      }
    };
    await Promise.all([replicaA, replicaB].flatMap((replica) => Array.from({ length: 6 }, () => worker(replica))));
    expect(mostRunning).toBe(3);
  });

  it('gives back the slots of a replica that died once their lease expires', async () => {
    const limits = { maxConcurrency: 2 };
    const doomedConnection = await connectReplica();
    const doomed = new ProviderRateLimiter(doomedConnection, { keyPrefix, logger: silent, concurrencyLeaseMs: 600 });
    await doomed.acquire('lease', limits, 0);
    await doomed.acquire('lease', limits, 0);
    await new Promise((resolve) => setTimeout(resolve, 700)); // the heartbeat keeps the leases past their first term
    expect((await rejection(impatient.acquire('lease', limits, 0))).reason).toBe('concurrency');

    doomedConnection.disconnect(); // the replica dies without releasing
    const [, waitedMs] = await timed(replicaA.acquire('lease', limits, 0));
    expect(waitedMs).toBeGreaterThan(250); // renewed at most a third of a lease (200 ms) before the replica died
    expect(waitedMs).toBeLessThan(1_500);
  });

  it('blocks every replica after a 429 until its Retry-After has passed', async () => {
    await replicaA.observeRateLimited('429', 700);
    const [, waitedA] = await timed(replicaA.acquire('429', {}, 10));
    const [, waitedB] = await timed(replicaB.acquire('429', {}, 10));
    expect(Math.max(waitedA, waitedB)).toBeGreaterThanOrEqual(650);
    expect(Math.max(waitedA, waitedB)).toBeLessThan(1_200);
  });

  it('backs off, doubling, after 429s that give no Retry-After', async () => {
    await replicaA.observeRateLimited('429-no-retry-after', undefined);
    const first = await rejection(impatient.acquire('429-no-retry-after', {}, 10));
    await replicaB.observeRateLimited('429-no-retry-after', undefined);
    const second = await rejection(impatient.acquire('429-no-retry-after', {}, 10));
    expect(first.reason).toBe('blocked');
    expect(first.retryAfterMs).toBeGreaterThan(900);
    expect(first.retryAfterMs).toBeLessThanOrEqual(1_000);
    expect(second.retryAfterMs).toBeGreaterThan(1_900);
    expect(second.retryAfterMs).toBeLessThanOrEqual(2_000);
  });

  it('waits for the provider budgets its x-ratelimit headers report', async () => {
    await replicaA.observeHeaders('headers', new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '600ms' }));
    const [, waitedForRequest] = await timed(replicaB.acquire('headers', {}, 0));
    expect(waitedForRequest).toBeGreaterThanOrEqual(550);
    expect(waitedForRequest).toBeLessThan(1_100);

    // 100 tokens left, back to 1,000 in 1 s: 0.9 tokens a millisecond; 280 tokens need 200 ms more.
    const tokens = { 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '100', 'x-ratelimit-reset-tokens': '1s' };
    await replicaB.observeHeaders('headers', new Headers(tokens));
    const [, waitedForTokens] = await timed(replicaA.acquire('headers', {}, 280));
    expect(waitedForTokens).toBeGreaterThanOrEqual(150);
    expect(waitedForTokens).toBeLessThan(600);

    await replicaA.observeHeaders('headers', new Headers({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }));
    const exhausted = await rejection(impatient.acquire('headers', {}, 1));
    expect(exhausted.reason).toBe('provider_tokens');
    expect(exhausted.retryAfterMs).toBeGreaterThan(359_000);
  });

  it('gives up at once when the wait would pass maxWaitMs, and on the caller\'s abort', async () => {
    await replicaA.observeRateLimited('give-up', 5_000);
    const [error, waitedMs] = await timed(rejection(impatient.acquire('give-up', {}, 1)));
    expect(error).toMatchObject({ code: 'rate_limit_wait_exceeded', key: 'give-up', reason: 'blocked' });
    expect(waitedMs).toBeLessThan(200);

    const patient = new ProviderRateLimiter(connections[1], { keyPrefix, logger: silent, maxWaitMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    await expect(patient.acquire('give-up', {}, 1, controller.signal)).rejects.toThrow('run cancelled');
  });

  it('lets calls through with a no-op permit and one warning when Redis is unreachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const down = new Redis({ host: '127.0.0.1', port: closedPort, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    down.on('error', () => undefined);
    const warnings: string[] = [];
    const limiter = new ProviderRateLimiter(down, { keyPrefix, logger: { warn: (message) => warnings.push(message) } });
    try {
      const limits = { requestsPerMinute: 1, tokensPerMinute: 10, maxConcurrency: 1 };
      const [first, firstMs] = await timed(limiter.acquire('down', limits, 1_000));
      const [second, secondMs] = await timed(limiter.acquire('down', limits, 1_000));
      await limiter.observeHeaders('down', new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }));
      await limiter.observeRateLimited('down', 1_000);
      await Promise.all([first.release(5), second.release()]);
      expect(firstMs + secondMs).toBeLessThan(500);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('Redis unavailable');
    } finally {
      down.disconnect();
    }
  });

  it('sends a script in full when Redis has not cached it yet', async () => {
    const script = new LuaScript(`return '${keyPrefix}' .. ARGV[1]`);
    await expect(script.run(connections[0], [], ['fresh'])).resolves.toBe(`${keyPrefix}fresh`);
    await expect(script.run(connections[1], [], ['cached'])).resolves.toBe(`${keyPrefix}cached`);
  });

  describe('two replicas as OS processes', () => {
    const distIndex = join(__dirname, '../dist/rate-limit/index.js');
    const replicas: LimiterReplica[] = [];
    let provider: Awaited<ReturnType<typeof startCountingServer>>;

    beforeAll(async () => {
      provider = await startCountingServer();
    });

    afterAll(async () => {
      replicas.forEach((replica) => replica.kill());
      await provider.close();
    });

    it('keeps the rate the provider observes from two processes within the shared limit', async () => {
      if (!existsSync(distIndex)) throw new Error(`${distIndex} is missing: build first with (cd apps/llm-caller && npm run build)`);
      const limits = { requestsPerMinute: 600 };
      const shape = bucketShape(limits.requestsPerMinute)!;
      const config = { distIndex, redisUrl: REDIS_URL, keyPrefix, key: 'two-processes', limits, loops: 8, url: provider.url };
      replicas.push(startLimiterReplica('one', config), startLimiterReplica('two', config));
      await Promise.all(replicas.map((replica) => replica.ready));
      const until = Date.now() + 3_000;
      replicas.forEach((replica) => replica.start(until));
      const results = await Promise.all(replicas.map((replica) => replica.result));

      const arrivals = provider.arrivals;
      const admitted = arrivals.map((arrival) => arrival.admittedAt).sort((x, y) => x - y);
      const received = arrivals.map((arrival) => arrival.at).sort((x, y) => x - y);
      const durationMs = received[received.length - 1] - received[0];
      expect(results.reduce((sum, { calls }) => sum + calls, 0)).toBe(received.length);
      expect(new Set(arrivals.map((arrival) => arrival.replica))).toEqual(new Set(['one', 'two']));
      // As granted (stamped by the replicas): the bucket's guarantee, 10 a second plus the one-second burst.
      expect(lateness(admitted, shape)).toBeLessThanOrEqual(LATENESS_MS.caller);
      expect(maxInAnyWindow(admitted, 1_000)).toBeLessThanOrEqual(600 / 60 + shape.capacity);
      expect(maxInAnyWindow(admitted.filter((t) => t >= admitted[0] + 500), 1_000)).toBeLessThanOrEqual(600 / 60 + 1);
      // As the provider saw them, after the trip through two busy processes and loopback HTTP.
      expect(lateness(received, shape)).toBeLessThanOrEqual(LATENESS_MS.server);
      expect(received.length).toBeLessThanOrEqual(Math.ceil(shape.capacity + (durationMs + LATENESS_MS.server) / shape.msPerUnit));
      expect(received.length).toBeGreaterThanOrEqual(Math.floor(0.85 * (shape.capacity + durationMs / shape.msPerUnit)));
    }, 15_000);
  });
});
