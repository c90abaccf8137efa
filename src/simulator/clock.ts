// Server time: a settable offset for reported timestamps and strictly increasing message dates.

export class Clock {
  #offsetMs = 0;
  #lastMessageMs = 0;

  /** Wall-clock time as the simulated server reports it (real time plus the offset). */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  setOffset(ms: number): void {
    this.#offsetMs = Math.trunc(ms);
  }

  /**
   * The date for a new message: the server time, bumped by 1 ms when it would not be later than
   * every earlier message, so `dateCreated` is unique and strictly increasing across the simulator
   * (date-based history paging is then exact).
   */
  nextMessageMs(): number {
    const t = Math.max(this.now(), this.#lastMessageMs + 1);
    this.#lastMessageMs = t;
    return t;
  }

  /** Records a message date produced elsewhere (seeded history) so later dates stay above it. */
  observeMessageMs(ms: number): void {
    if (ms > this.#lastMessageMs) this.#lastMessageMs = ms;
  }

  get lastMessageMs(): number {
    return this.#lastMessageMs;
  }
}

/** ISO-8601 with milliseconds, the format Genesys uses for dates. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
