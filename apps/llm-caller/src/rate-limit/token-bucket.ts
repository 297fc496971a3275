/**
 * Why GCRA (a token bucket kept as one timestamp) and not a sliding-window log:
 * - a log of the last minute lets the whole minute's budget go in one burst, which providers that evaluate limits
 *   over 1–10 s periods (Azure OpenAI, OpenAI's own "enforced over shorter periods") answer with 429s; a bucket
 *   spreads the calls evenly;
 * - it costs one key of one number per limit, whatever the rate, where a log keeps one entry per call (or per call's
 *   tokens) for a minute;
 * - it says exactly how long to wait, so a waiting replica sleeps once instead of polling.
 *
 * Shape: the bucket holds one second of the limit (`capacity = L/60`) and refills at `L - capacity` per minute.
 * Any window of w seconds therefore admits at most `capacity + (L - capacity)·w/60`: never more than L in any minute
 * (the limit as providers define it), at most about two seconds' worth in any one second (the burst after an idle
 * spell), and one second's worth per second when the bucket is kept empty. The price is 1/60 of the throughput.
 *
 * A request larger than the bucket (usually a tokens-per-minute charge) waits until the bucket is full and then
 * leaves a debt that later requests wait out, so large requests still go — paced, not starved. Only such an
 * oversized last request can take a minute past L, by its excess over one second's worth.
 */
export interface BucketShape {
  /** Units (requests or tokens) the bucket holds when full. */
  capacity: number;
  /** Milliseconds for the bucket to regain one unit. */
  msPerUnit: number;
}

const MINUTE_MS = 60_000;
const BURST_SECONDS = 1;

/** The bucket for a per-minute limit; undefined when there is no limit. */
export function bucketShape(limitPerMinute: number | undefined): BucketShape | undefined {
  if (limitPerMinute === undefined || !Number.isFinite(limitPerMinute) || limitPerMinute <= 0) return undefined;
  const capacity = (limitPerMinute * BURST_SECONDS) / 60;
  return { capacity, msPerUnit: MINUTE_MS / (limitPerMinute - capacity) };
}

/**
 * The most units a bucket of this shape admits in any window of `windowMs` (the guarantee the tests check);
 * `oversizedRequest` is the largest single charge above the capacity, if any.
 */
export function maxAdmittedInWindow(shape: BucketShape, windowMs: number, oversizedRequest = 0): number {
  return Math.max(shape.capacity, oversizedRequest) + windowMs / shape.msPerUnit;
}

/**
 * What a waiting caller sleeps: the wait the limiter computed plus a little jitter, so that replicas told the same
 * wait do not all come back in the same millisecond.
 */
export function withJitter(waitMs: number, random: () => number = Math.random): number {
  return waitMs + random() * Math.min(50, Math.max(2, waitMs * 0.1));
}
