import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LimiterReplica {
  /** Resolves once the replica is connected and waiting for the start signal. */
  ready: Promise<void>;
  /** Resolves with the calls it made when it exits cleanly; rejects with its stderr otherwise. */
  result: Promise<{ calls: number }>;
  /** Starts its loops, which stop at `until` (epoch ms). */
  start(until: number): void;
  kill(): void;
}

/** limiter-replica.js as its own OS process: one llm-caller replica reduced to its rate limiter and its calls. */
export function startLimiterReplica(name: string, config: object): LimiterReplica {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(__dirname, 'limiter-replica.js'), JSON.stringify({ ...config, name })]);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.startsWith('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`replica ${name} exited before it was ready: ${stderr}`)));
  });
  const result = exited.then((code) => {
    if (code !== 0) throw new Error(`replica ${name} exited with ${code}: ${stderr}`);
    return JSON.parse(stdout.slice('ready\n'.length)) as { calls: number };
  });
  return {
    ready,
    result,
    start: (until) => child.stdin.write(`go ${until}\n`),
    kill: () => void (child.exitCode === null && child.kill('SIGKILL')),
  };
}

export interface ProviderArrival {
  /** When the server received the call (epoch ms). */
  at: number;
  /** When the replica got its permit (epoch ms, x-admitted-at). */
  admittedAt: number;
  replica: string;
}

/** Stands in for the provider: records when each POST arrives, from which replica, and when it was admitted. */
export async function startCountingServer(): Promise<{ url: string; arrivals: ProviderArrival[]; close(): Promise<void> }> {
  const arrivals: ProviderArrival[] = [];
  const server: Server = createServer((request, response) => {
    const at = performance.timeOrigin + performance.now();
    if (request.method === 'POST') {
      arrivals.push({ at, admittedAt: Number(request.headers['x-admitted-at']), replica: String(request.headers['x-replica']) });
    }
    request.resume();
    request.on('end', () => response.end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/responses`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
