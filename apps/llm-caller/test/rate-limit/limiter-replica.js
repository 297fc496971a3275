// One stand-in llm-caller replica for rate-limit.integration-spec.ts, run as its own OS process on the built
// limiter (apps/llm-caller/dist). It prints "ready", waits for a "go <until epoch ms>" line on stdin, then runs
// `loops` concurrent loops that each acquire a permit for the shared key, POST to the counting server (saying when
// the permit came, in x-admitted-at) and release, until that time (a GET first, before "ready", is not counted); it ends by printing {"calls": n}.
'use strict';
const Redis = require('ioredis');

const config = JSON.parse(process.argv[2]);
const { ProviderRateLimiter } = require(config.distIndex);

async function main() {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  await redis.connect();
  const limiter = new ProviderRateLimiter(redis, { keyPrefix: config.keyPrefix, maxWaitMs: 10_000 });
  await (await fetch(config.url)).arrayBuffer(); // load fetch and open a connection before the clock starts
  process.stdout.write('ready\n');
  const until = await new Promise((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk) => {
      input += chunk;
      const match = /^go (\d+)\n/.exec(input);
      if (match) resolve(Number(match[1]));
    });
  });
  const stop = AbortSignal.timeout(Math.max(0, until - Date.now()));
  let calls = 0;
  await Promise.all(
    Array.from({ length: config.loops }, async () => {
      while (!stop.aborted) {
        const permit = await limiter.acquire(config.key, config.limits, 1, stop).catch(() => undefined);
        if (!permit) return;
        try {
          const headers = { 'x-replica': config.name, 'x-admitted-at': String(performance.timeOrigin + performance.now()) };
          const response = await fetch(config.url, { method: 'POST', headers });
          await response.arrayBuffer();
          calls += 1;
        } finally {
          await permit.release();
        }
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ calls })}\n`);
  await redis.quit();
  process.stdin.destroy();
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
