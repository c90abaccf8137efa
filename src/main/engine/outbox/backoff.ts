// How long an outbox item waits before its next attempt: jittered exponential backoff.

export interface BackoffOptions {
  /** Wait after the first failed attempt, before jitter (default 1 s). */
  baseMs: number;
  /** The longest wait (default 60 s). */
  capMs: number;
}

export const defaultBackoff: BackoffOptions = Object.freeze({ baseMs: 1_000, capMs: 60_000 });

/**
 * The wait after `attempts` failed attempts: the ceiling doubles each time up to `capMs`, and the wait
 * is drawn between half the ceiling and the ceiling, so many clients coming back from a shared outage
 * do not retry in step, while no wait is ever much shorter than planned.
 */
export function retryDelay(attempts: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
