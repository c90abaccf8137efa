// Per-access-token rate limiting over a rolling 60-second window.

const WINDOW_MS = 60_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  #limit: number | null;
  #maxRetryAfterSeconds: number | null = null;
  readonly #hits = new Map<string, number[]>();

  constructor(limitPerMinute: number | null) {
    this.#limit = limitPerMinute;
  }

  get limit(): number | null {
    return this.#limit;
  }

  /**
   * Sets the limit; `null` lifts it. Past counts are kept, so lowering it takes effect at once.
   * `maxRetryAfterSeconds` caps the Retry-After sent (for fast tests of 429 storms); `null` = none.
   */
  setLimit(limitPerMinute: number | null, maxRetryAfterSeconds: number | null = null): void {
    this.#limit = limitPerMinute;
    this.#maxRetryAfterSeconds = maxRetryAfterSeconds;
  }

  /** Counts a request for `key` if it is within the limit; refused requests are not counted. */
  check(key: string, now = Date.now()): RateDecision {
    let hits = this.#hits.get(key);
    if (!hits) this.#hits.set(key, (hits = []));
    const cutoff = now - WINDOW_MS;
    let drop = 0;
    while (drop < hits.length && (hits[drop] as number) <= cutoff) drop++;
    if (drop > 0) hits.splice(0, drop);
    if (this.#limit !== null && hits.length >= this.#limit) {
      const oldest = hits[hits.length - this.#limit] ?? now;
      const wait = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
      const retryAfterSeconds =
        this.#maxRetryAfterSeconds === null ? wait : Math.min(wait, this.#maxRetryAfterSeconds);
      return { allowed: false, retryAfterSeconds };
    }
    hits.push(now);
    if (this.#hits.size > 10_000) this.#sweep(cutoff);
    return { allowed: true };
  }

  #sweep(cutoff: number): void {
    for (const [key, hits] of this.#hits) {
      if (hits.length === 0 || (hits[hits.length - 1] as number) <= cutoff) this.#hits.delete(key);
    }
  }

  reset(): void {
    this.#hits.clear();
  }
}
