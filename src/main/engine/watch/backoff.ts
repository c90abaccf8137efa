// Jittered exponential backoff: the delay before retry number `failures` (1 = the first retry).
export interface BackoffRange {
  minMs: number;
  maxMs: number;
}

/** Doubles from `minMs` up to `maxMs`; each delay is 50–100 % of its step so clients spread out. */
export function backoffDelay(
  failures: number,
  range: BackoffRange,
  random: () => number = Math.random,
): number {
  const step = Math.min(range.maxMs, range.minMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.round(step / 2 + (random() * step) / 2);
}
