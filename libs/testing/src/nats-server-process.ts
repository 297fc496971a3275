import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { pollUntil } from './poll-until';

export interface NatsServerOptions {
  /** The nats-server binary; `/usr/sbin/nats-server` unless NATS_SERVER_BIN says otherwise. */
  binary?: string;
}

/**
 * A private nats-server with JetStream, on its own port and store directory, that a test may stop, wipe and
 * restart without disturbing the machine's shared server (4222). The port and store survive restarts.
 */
export class NatsServerProcess {
  readonly storeDir: string;
  private readonly root: string;
  private readonly binary: string;
  private child?: ChildProcess;
  private output = '';
  private clientPort = 0;
  private monitorPort = 0;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  constructor(options: NatsServerOptions = {}) {
    this.binary = options.binary ?? process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
    this.root = mkdtempSync(join(tmpdir(), 'ys-nats-'));
    this.storeDir = join(this.root, 'jetstream');
  }

  get url(): string {
    if (!this.clientPort) throw new Error('nats-server was never started');
    return `nats://127.0.0.1:${this.clientPort}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server (on the same ports as before, after a stop) and waits until JetStream answers /healthz. */
  async start(timeoutMs = 15_000): Promise<void> {
    if (this.running) return;
    if (!this.clientPort) {
      this.clientPort = await freePort();
      this.monitorPort = await freePort();
    }
    const args = ['-a', '127.0.0.1', '-p', String(this.clientPort), '-m', String(this.monitorPort), '-js', '-sd', this.storeDir];
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    process.off('exit', this.killOnExit);
    process.once('exit', this.killOnExit);
    await pollUntil('nats-server to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}:\n${this.output}`);
      const response = await fetch(`http://127.0.0.1:${this.monitorPort}/healthz`).catch(() => undefined);
      return response?.ok ? true : undefined;
    }, { timeoutMs, intervalMs: 50 });
  }

  /** Stops the server; SIGTERM lets it flush its store first, SIGKILL does not. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    process.off('exit', this.killOnExit);
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Deletes everything JetStream stored (streams, consumers, messages): the server must be stopped. */
  wipe(): void {
    if (this.running) throw new Error('stop nats-server before wiping its store');
    for (const entry of safeReaddir(this.storeDir)) rmSync(join(this.storeDir, entry), { recursive: true, force: true });
  }

  logs(): string {
    return this.output;
  }

  /** Stops the server and deletes its directory. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
