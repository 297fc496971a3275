/** Delay before a failed message is redelivered: exponential from 500 ms, capped at 30 s, with ±20% jitter. */
export function redeliveryDelayMs(deliveryCount: number, requestedMs?: number): number {
  if (requestedMs !== undefined) return requestedMs;
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, deliveryCount - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
