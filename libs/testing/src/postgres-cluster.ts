import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';
import { pollUntil } from './poll-until';

const run = promisify(execFile);

export interface PostgresClusterOptions {
  /** Where initdb, pg_ctl and postgres live; `/usr/lib/postgresql/15/bin` unless PG_BIN_DIR says otherwise. */
  binDir?: string;
}

/**
 * A private Postgres cluster (initdb in a temp directory, its own port and socket directory, trust auth) that a
 * test may crash and restart without disturbing the machine's shared server (5432). Postgres refuses to run as
 * root, so when the test runs as root the binaries run as the `postgres` user.
 */
export class PostgresCluster {
  private readonly root: string;
  private readonly dataDir: string;
  private readonly binDir: string;
  private readonly asRoot = userInfo().uid === 0;
  private port = 0;
  private started = false;
  private readonly stopOnExit = () => this.stopSync();

  constructor(options: PostgresClusterOptions = {}) {
    this.binDir = options.binDir ?? process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
    this.root = mkdtempSync(join(tmpdir(), 'ys-pg-'));
    this.dataDir = join(this.root, 'data');
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(this.root, uid, gid);
    }
  }

  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  get databaseUrl(): string {
    if (!this.port) throw new Error('the Postgres cluster was never started');
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Creates the cluster on first use, then starts it (unless it runs) and waits until it accepts connections. */
  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      await this.pg('initdb', ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    } else if (await this.isRunning()) {
      this.started = true;
      return this.waitReady();
    }
    await this.pgCtl(['start', '-w', '-t', '60', '-l', this.logFile, '-o', this.serverOptions()]);
    this.started = true;
    process.off('exit', this.stopOnExit);
    process.once('exit', this.stopOnExit);
    await this.waitReady();
  }

  /** Whether the server runs (`pg_ctl status`), whoever started it. */
  async isRunning(): Promise<boolean> {
    if (!this.port) return false;
    return this.pgCtl(['status']).then(() => true, () => false);
  }

  /** Stops the server; `immediate` is a crash (recovery from WAL at the next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.started) return;
    await this.pgCtl(['stop', '-w', '-t', '60', '-m', mode]);
    this.started = false;
    process.off('exit', this.stopOnExit);
  }

  /** `pg_ctl restart`: immediate by default, so every backend dies at once and the server recovers from WAL. */
  async restart(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    await this.pgCtl(['restart', '-w', '-t', '60', '-m', mode, '-l', this.logFile, '-o', this.serverOptions()]);
    this.started = true;
    await this.waitReady();
  }

  logs(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-20_000);
    } catch {
      return '';
    }
  }

  /** Stops the server and deletes the cluster. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }

  private get logFile(): string {
    return join(this.root, 'postgres.log');
  }

  private serverOptions(): string {
    return `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  }

  private async waitReady(): Promise<void> {
    await pollUntil('Postgres to accept connections', async () => {
      const client = new Client({ connectionString: this.databaseUrl });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, { timeoutMs: 30_000, intervalMs: 100 });
  }

  private pgCtl(args: string[]): Promise<unknown> {
    return this.pg('pg_ctl', ['-D', this.dataDir, ...args]);
  }

  private async pg(binary: string, args: string[]): Promise<void> {
    const path = join(this.binDir, binary);
    const [command, commandArgs] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    try {
      await run(command, commandArgs, { cwd: this.root });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${stderr || stdout || (error as Error).message}\n${this.logs()}`);
    }
  }

  /** Best effort when the test process exits without cleaning up: never leave a server running. */
  private stopSync(): void {
    const path = join(this.binDir, 'pg_ctl');
    const args = ['-D', this.dataDir, 'stop', '-m', 'immediate'];
    try {
      if (this.asRoot) execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { stdio: 'ignore' });
      else execFileSync(path, args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  }
}
