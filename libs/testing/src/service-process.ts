import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { pollUntil } from './poll-until';

export interface ServiceProcessOptions {
  /** When set, every line the process prints (across restarts) is also appended to this file. */
  logFile?: string;
  /** How much of the latest output `logs()` keeps in memory; 20,000 characters by default. */
  keepOutputChars?: number;
}

// Nest colours its logs; kept output is for people reading reports and files.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\u001b\[[0-9;]*m/g;

let clockTicks: number | undefined;
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** How one run of the process ended. */
export interface ServiceExit {
  at: Date;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the test asked for it (stop, kill); false when the process died on its own. */
  expected: boolean;
}

/** One service running as its own OS process, as in production. */
export class ServiceProcess {
  private child?: ChildProcess;
  private output = '';
  private stopping = false;
  /** Every exit so far, in order: a crash the test did not cause shows up with `expected: false`. */
  readonly exits: ServiceExit[] = [];
  /** How many times the process was started. */
  starts = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly healthUrl: string,
    private readonly options: ServiceProcessOptions = {},
  ) {}

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    if (this.starts > 1) this.keep(`\n--- ${new Date().toISOString()} ${this.name} started again (start ${this.starts}) ---\n`);
    this.stopping = false;
    const child = spawn(process.execPath, [this.script], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => this.keep(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      this.exits.push({ at: new Date(), code, signal, expected: this.stopping });
      this.keep(`\n--- ${new Date().toISOString()} ${this.name} exited (code ${code}, signal ${signal}) ---\n`);
    });
    await pollUntil(`${this.name} to be ready`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited:\n${this.output}`);
      const response = await fetch(this.healthUrl).catch(() => undefined);
      return response?.ok ? true : undefined;
    }, { timeoutMs, intervalMs: 100 }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} output ---\n${this.output}`);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the process is alive (started and not exited). */
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
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

  /** CPU time (user + system) of the running process in seconds, read from /proc. */
  cpuSeconds(): number | undefined {
    if (!this.child?.pid) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // Fields after the parenthesised command name start at field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond();
    } catch {
      return undefined;
    }
  }

  /** The latest output, across restarts (each start and exit is marked). */
  logs(): string {
    return this.output;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Sends `signal` (SIGKILL by default: no shutdown hooks, in-flight work is lost) and waits for the process to die. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stop(signal, signal === 'SIGKILL' ? 0 : 15_000);
  }

  /** Starts the same script again with the same environment (so the same port); stops it first if it still runs. */
  async restart(timeoutMs = 30_000): Promise<void> {
    await this.stop();
    await this.start(timeoutMs);
  }

  private keep(raw: string): void {
    const text = raw.replace(ANSI_ESCAPES, '');
    this.output = (this.output + text).slice(-(this.options.keepOutputChars ?? 20_000));
    if (this.options.logFile) appendFileSync(this.options.logFile, text);
  }
}
