import { Logger } from '@nestjs/common';

export interface KeyedThrottleOptions {
  /** A key is flushed at most this often (trailing edge: the first value after a flush waits for the rest of the interval). */
  intervalMs: number;
  /**
   * At most this share of the time may go to one key's flushes: after a flush that took `d` ms the next one waits at least
   * `d / maxBusyShare` ms from its start (a run's snapshot counts its items: a large run's takes longer). Default 1.
   */
  maxBusyShare?: number;
}

/** Publishes what one key collected; an empty list means "only something changed" (a snapshot is due). */
export type FlushCollected<T> = (key: string, values: T[]) => Promise<void>;

interface KeyState<T> {
  pending: T[];
  timer?: NodeJS.Timeout;
  lastFlushAt: number;
  /** How long the last flush took. */
  lastFlushMs: number;
  /** The key's flushes, one after another, so its messages leave in the order they were decided. */
  chain: Promise<void>;
}

/**
 * Collects values per key (per run) and flushes each key at most every `intervalMs`, so a run finishing a thousand
 * items a second costs four publishes a second, not a thousand. Flushes of one key never overlap and keep their order.
 * A failed interval flush is logged and dropped: what it carried is live progress, and the next snapshot heals counts.
 */
export class KeyedThrottle<T> {
  private readonly logger = new Logger(KeyedThrottle.name);
  private readonly keys = new Map<string, KeyState<T>>();

  constructor(
    private readonly options: KeyedThrottleOptions,
    private readonly flush: FlushCollected<T>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a value (or, without one, only marks the key changed) and schedules the key's next flush. */
  add(key: string, value?: T): void {
    const state = this.state(key);
    if (value !== undefined) state.pending.push(value);
    if (state.timer) return;
    this.schedule(key, state);
  }

  private schedule(key: string, state: KeyState<T>): void {
    state.timer = setTimeout(() => {
      void this.enqueue(key, state, undefined, true, true).catch((error: Error) => this.logger.warn(`live flush of ${key} dropped: ${error.message}`));
    }, this.untilDue(state));
  }

  /** How long until the key may flush again: its interval, stretched after a slow flush (maxBusyShare). */
  private untilDue(state: KeyState<T>): number {
    const interval = Math.max(this.options.intervalMs, state.lastFlushMs / (this.options.maxBusyShare ?? 1));
    return Math.max(0, state.lastFlushAt + interval - this.now());
  }

  /**
   * Flushes the key now (after any flush under way; with nothing pending only when `force`d), then runs `then` in the
   * same order; resolves when both are done and rejects with their error, for callers that must know (a run's end).
   */
  flushNow(key: string, then?: () => Promise<void>, force = false): Promise<void> {
    return this.enqueue(key, this.state(key), then, force);
  }

  /** Forgets a key that will not change again (a finished run), after its queued work. */
  forget(key: string): void {
    const state = this.keys.get(key);
    if (!state) return;
    clearTimeout(state.timer);
    this.keys.delete(key);
  }

  /** Forgets keys with nothing pending and no flush for `idleMs` (runs another replica finished). */
  forgetIdle(idleMs: number): void {
    const before = this.now() - idleMs;
    for (const [key, state] of this.keys) if (!state.timer && !state.pending.length && state.lastFlushAt < before) this.keys.delete(key);
  }

  /** Flushes every key with values pending (shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.keys.keys()].map((key) => this.flushNow(key).catch(() => undefined)));
  }

  get size(): number {
    return this.keys.size;
  }

  private state(key: string): KeyState<T> {
    let state = this.keys.get(key);
    if (!state) {
      state = { pending: [], lastFlushAt: -Infinity, lastFlushMs: 0, chain: Promise.resolve() };
      this.keys.set(key, state);
    }
    return state;
  }

  /**
   * `throttled`: an interval flush. It takes what is pending when its turn comes, and waits again if the flush before it
   * ran long (see untilDue).
   */
  private enqueue(key: string, state: KeyState<T>, then: (() => Promise<void>) | undefined, force: boolean, throttled = false): Promise<void> {
    clearTimeout(state.timer);
    state.timer = undefined;
    let values = state.pending;
    if (!throttled) state.pending = [];
    const work = state.chain.then(async () => {
      if (throttled) {
        if (this.untilDue(state) > 0) {
          if (!state.timer) this.schedule(key, state);
          return;
        }
        values = state.pending;
        state.pending = [];
      }
      if (values.length || force) {
        state.lastFlushAt = this.now();
        try {
          await this.flush(key, values);
        } finally {
          state.lastFlushMs = this.now() - state.lastFlushAt;
        }
      }
      if (then) await then();
    });
    state.chain = work.catch(() => undefined);
    return work;
  }
}
