import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';
import { ServiceExit, ServiceProcess } from './service-process';
import { uniqueTestId } from './unique-id';

const run = promisify(execFile);
/** Nest's module and route listing at every boot: nothing a failure report needs. */
const NEST_BOOT_NOISE = /\[(InstanceLoader|RoutesResolver|RouterExplorer)\]/;

export const SERVICES = ['gateway', 'orchestrator', 'llm-caller', 'scorer', 'webhook-dispatcher'] as const;
export type ServiceName = (typeof SERVICES)[number];
const MIGRATING: ServiceName[] = ['gateway', 'orchestrator', 'llm-caller', 'webhook-dispatcher'];
const SCHEMA_SUFFIX: Record<ServiceName, string> = {
  gateway: 'gateway', orchestrator: 'orchestrator', 'llm-caller': 'llm_caller', scorer: 'scorer', 'webhook-dispatcher': 'webhooks',
};

export interface StackOptions {
  /** The repository root (where apps/ and tools/ are built). */
  root: string;
  databaseUrl?: string;
  natsUrl?: string;
  redisUrl?: string;
  /** Extra environment for llm-sim (LLM_SIM_*). */
  simEnv?: Record<string, string>;
  /** Extra environment for every service, or per service. */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Reuse this id (schemas, bus prefix); a fresh one otherwise. */
  id?: string;
  /** When set, each process's whole output (across restarts) is also written to `<logDir>/<name>.log`. */
  logDir?: string;
}

/**
 * The whole platform as separate OS processes — llm-sim and the five services — on free ports, in its own
 * database schemas and bus prefix, against the machine's real Postgres, NATS and Redis.
 */
export class YardstickStack {
  readonly id: string;
  readonly processes = new Map<ServiceName | 'llm-sim', ServiceProcess>();
  gatewayUrl = '';
  simUrl = '';
  /** Where the services' filesystem blob store keeps its files. */
  readonly blobRoot: string;
  /** A key of the stack's first project (organization `<id>-org`, project `default`), created at start. */
  apiKey = '';
  private gatewayPort = 0;
  /** The keyring every service of this stack shares to seal and open provider API keys (SECRET_KEYS). */
  readonly secretKeys = `test:${randomBytes(32).toString('base64')}`;

  constructor(private readonly options: StackOptions) {
    this.id = options.id ?? uniqueTestId('ys');
    this.blobRoot = mkdtempSync(join(tmpdir(), `${this.id}-blobs-`));
  }

  get databaseUrl(): string {
    return this.options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  }

  schema(service: ServiceName): string {
    return `${this.id}_${SCHEMA_SUFFIX[service]}`;
  }

  serviceEnv(service: ServiceName, port: number): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      // The services' heap cap, as deployed (k8s/configmap.yaml, docs/decisions.md).
      NODE_OPTIONS: '--max-old-space-size=192',
      DATABASE_URL: this.databaseUrl,
      DB_SCHEMA: this.schema(service),
      NATS_URL: this.options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      REDIS_URL: this.options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      BUS_PREFIX: this.id,
      REDIS_KEY_PREFIX: this.id,
      HOST: '127.0.0.1',
      PORT: String(port),
      BLOB_DRIVER: 'fs',
      BLOB_FS_ROOT: this.blobRoot,
      PROVIDER_BASE_URL: `${this.simUrl}/v1`,
      RECONCILE_INTERVAL_MS: '500',
      SECRET_KEYS: this.secretKeys,
      // Test receivers listen on loopback, which the webhook dispatcher's SSRF guard refuses unless allow-listed.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.0/8,::1/128',
      ...this.options.env,
      ...this.options.serviceEnv?.[service],
    };
  }

  /** Starts everything; when any part fails to come up, stops what did start (no orphaned processes) and rethrows. */
  async start(): Promise<this> {
    try {
      return await this.startAll();
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  private async startAll(): Promise<this> {
    const simPort = await freePort();
    this.simUrl = `http://127.0.0.1:${simPort}`;
    if (this.options.logDir) mkdirSync(this.options.logDir, { recursive: true });
    const sim = new ServiceProcess('llm-sim', resolve(this.options.root, 'tools/llm-sim/dist/main.js'), {
      PATH: process.env.PATH, LLM_SIM_HOST: '127.0.0.1', LLM_SIM_PORT: String(simPort), ...this.options.simEnv,
    }, `${this.simUrl}/healthz`, this.processOptions('llm-sim'));
    this.processes.set('llm-sim', sim);

    const ports = new Map<ServiceName, number>();
    for (const service of SERVICES) ports.set(service, await freePort());
    for (const service of MIGRATING) {
      await run(process.execPath, [resolve(this.options.root, `apps/${service}/dist/migrate.js`)], {
        env: this.serviceEnv(service, ports.get(service)!),
      });
    }
    this.gatewayPort = ports.get('gateway')!;
    this.apiKey = (await this.createApiKey(`${this.id}-org`, 'default')).apiKey;
    await sim.start();
    for (const service of SERVICES) {
      const port = ports.get(service)!;
      this.processes.set(service, new ServiceProcess(service, resolve(this.options.root, `apps/${service}/dist/main.js`),
        this.serviceEnv(service, port), `http://127.0.0.1:${port}/readyz`, this.processOptions(service)));
    }
    await Promise.all(SERVICES.map((service) => this.processes.get(service)!.start()));
    this.gatewayUrl = `http://127.0.0.1:${ports.get('gateway')}/api/v1`;
    return this;
  }

  /** A new key of the project (organization and project created when missing), through the gateway's admin command. */
  async createApiKey(organization: string, project: string): Promise<{ apiKey: string; projectId: string }> {
    const { stdout } = await run(process.execPath, [
      resolve(this.options.root, 'apps/gateway/dist/admin.js'), 'create-key', '--organization', organization, '--project', project,
    ], { env: this.serviceEnv('gateway', this.gatewayPort) });
    const created = JSON.parse(stdout.trim().split('\n').pop()!);
    return { apiKey: created.api_key, projectId: created.project_id };
  }

  /** `Authorization` header for raw requests to the gateway. */
  authHeaders(apiKey = this.apiKey): Record<string, string> {
    return { authorization: `Bearer ${apiKey}` };
  }

  service(name: ServiceName | 'llm-sim'): ServiceProcess {
    const process = this.processes.get(name);
    if (!process) throw new Error(`${name} is not part of the stack`);
    return process;
  }

  /** Kills one process (SIGKILL by default: no graceful shutdown) and waits until it is gone. */
  kill(name: ServiceName | 'llm-sim', signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.service(name).kill(signal);
  }

  /** Starts one process again: the same script, environment and port; waits until it is ready. */
  restart(name: ServiceName | 'llm-sim', timeoutMs?: number): Promise<void> {
    return this.service(name).restart(timeoutMs);
  }

  /** Exits no test asked for (a process that died on its own), by process. */
  unexpectedExits(): Array<{ name: string } & ServiceExit> {
    return [...this.processes].flatMap(([name, p]) => p.exits.filter((e) => !e.expected).map((e) => ({ name, ...e })));
  }

  /** The latest output of every process, for a failure report: the last `chars` characters of each. */
  dumpLogs(chars = 6_000): string {
    return [...this.processes].map(([name, p]) => {
      const lines = p.logs().split('\n').filter((line) => !NEST_BOOT_NOISE.test(line)).join('\n');
      return `===== ${name} (pid ${p.pid}, starts ${p.starts}) =====\n${lines.slice(-chars)}`;
    }).join('\n');
  }

  private processOptions(name: string) {
    return this.options.logDir ? { logFile: join(this.options.logDir, `${name}.log`), keepOutputChars: 200_000 } : {};
  }

  /** Stops every process (SIGTERM, so they drain), then drops the schemas, streams and blobs of this run. */
  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      for (const service of SERVICES) await client.query(`DROP SCHEMA IF EXISTS "${this.schema(service)}" CASCADE`);
    } finally {
      await client.end();
    }
    await deleteStreams(this.options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222', this.id);
    rmSync(this.blobRoot, { recursive: true, force: true });
  }
}

async function deleteStreams(servers: string, prefix: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    const stem = `${prefix.toUpperCase().replace(/-/g, '_')}_`;
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(stem)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}
