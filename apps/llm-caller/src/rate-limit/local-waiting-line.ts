interface Waiter {
  admit?: () => void;
}

/**
 * The callers of one process waiting for the same key queue here, first come first served, and only the one at the
 * head asks Redis and sleeps the wait it is told. However many calls a replica has waiting, Redis hears from it
 * once per wait, not once per caller.
 */
export class LocalWaitingLine {
  private readonly lines = new Map<string, Waiter[]>();
  private readonly sleepers = new Map<string, () => void>();

  /**
   * Resolves when the caller is at the head of `key`'s line, with the function that hands the head on. Rejects with
   * the signal's reason when it aborts, or with `onTimeout()` after `timeoutMs`, and leaves the line either way.
   */
  async enter(key: string, timeoutMs: number, onTimeout: () => Error, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const line = this.lines.get(key) ?? [];
    this.lines.set(key, line);
    const waiter: Waiter = {};
    line.push(waiter);
    if (line.length > 1) {
      await new Promise<void>((resolve, reject) => {
        const giveUp = (reason: unknown): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          line.splice(line.indexOf(waiter), 1);
          reject(reason);
        };
        const onAbort = (): void => giveUp(signal?.reason);
        const timer = setTimeout(() => giveUp(onTimeout()), Math.max(0, timeoutMs));
        signal?.addEventListener('abort', onAbort, { once: true });
        waiter.admit = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      line.shift();
      if (line.length === 0) this.lines.delete(key);
      else line[0].admit?.();
    };
  }

  /** The head of `key`'s line sleeps `ms`, or less when `nudge(key)` says something it waits for was freed. */
  sleep(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.sleepers.get(key) === wake) this.sleepers.delete(key);
      };
      const wake = (): void => {
        stop();
        resolve();
      };
      const onAbort = (): void => {
        stop();
        reject(signal?.reason);
      };
      const timer = setTimeout(wake, ms);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.set(key, wake);
    });
  }

  nudge(key: string): void {
    this.sleepers.get(key)?.();
  }
}
