import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_ATTEMPTS = 50;

/**
 * When each attempt of a delivery is due, as offsets from the start of its round (the event, or a manual
 * redelivery): `0s,5s,5m,…` means at once, then 5 s after the event, then 5 min after it, …
 * Each wait gets ±`jitter` of its gap so that receivers that failed together are not retried in lockstep.
 */
export class RetrySchedule {
  constructor(
    readonly offsetsMs: readonly number[],
    private readonly jitter = 0.1,
    private readonly random: () => number = Math.random,
  ) {}

  /** Parses `WEBHOOK_RETRY_SCHEDULE`; throws naming the bad entry. */
  static parse(text: string): RetrySchedule {
    const entries = text.split(',').map((entry) => entry.trim());
    if (entries.length > MAX_ATTEMPTS) throw new Error(`at most ${MAX_ATTEMPTS} attempts`);
    const offsets = entries.map((entry) => {
      const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(entry);
      if (!match) throw new Error(`"${entry}" is not a duration like 500ms, 5s, 5m, 2h or 1d`);
      return Math.round(Number(match[1]) * UNIT_MS[match[2]]);
    });
    offsets.forEach((offset, i) => {
      if (i > 0 && offset < offsets[i - 1]) throw new Error(`"${entries[i]}" comes before the entry preceding it`);
    });
    return new RetrySchedule(offsets);
  }

  get attempts(): number {
    return this.offsetsMs.length;
  }

  /**
   * When the next attempt is due, after `attemptsMade` attempts of a round started at `roundStartedAt`; never
   * before `retryAfterMs` (a receiver's Retry-After). Undefined when the schedule is used up: the delivery fails.
   */
  nextAttemptAt(roundStartedAt: Date, attemptsMade: number, now: Date, retryAfterMs?: number): Date | undefined {
    if (attemptsMade >= this.offsetsMs.length) return undefined;
    const offset = this.offsetsMs[attemptsMade];
    const gap = offset - (attemptsMade > 0 ? this.offsetsMs[attemptsMade - 1] : 0);
    const jittered = roundStartedAt.getTime() + offset + (this.random() * 2 - 1) * this.jitter * gap;
    const delay = Math.max(0, jittered - now.getTime(), retryAfterMs ?? 0);
    return new Date(now.getTime() + delay);
  }
}

@ValidatorConstraint({ name: 'retrySchedule' })
export class RetryScheduleConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      return RetrySchedule.parse(value).attempts > 0;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return `$property must be non-decreasing comma-separated durations (ms, s, m, h, d), e.g. 0s,5s,5m,30m,2h, at most ${MAX_ATTEMPTS}`;
  }
}
