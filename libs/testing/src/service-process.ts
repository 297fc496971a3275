import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pollUntil } from './poll-until';

/** One service running as its own OS process, as in production. */
export class ServiceProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly healthUrl: string,
  ) {}

  async start(timeoutMs = 30_000): Promise<void> {
    this.child = spawn(process.execPath, [this.script], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    await pollUntil(`${this.name} to be ready`, async () => {
      if (this.child?.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output}`);
      const response = await fetch(this.healthUrl).catch(() => undefined);
      return response?.ok ? true : undefined;
    }, { timeoutMs, intervalMs: 100 }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} output ---\n${this.output}`);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Peak resident memory (VmHWM) in MiB, read from /proc while the process runs. */
  peakRssMiB(): number | undefined {
    if (!this.child?.pid) return undefined;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  logs(): string {
    return this.output;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
