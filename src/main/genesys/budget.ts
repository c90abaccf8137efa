// The request budget: at most `perMinute` requests in any rolling 60 s, well under Genesys's
// 300 per user per client, shared with nothing else. The user's own actions go first: background
// work (watching, backfill, polling) may use only what is left after a reserve for them.
export type Priority = 'user' | 'background';

export interface BudgetOptions {
  perMinute: number;
  /** Requests per minute kept free for the user's own actions. */
  userReserve: number;
  now?: () => number;
  windowMs?: number;
}

interface Waiter {
  priority: Priority;
  resolve(): void;
  reject(err: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RequestBudget {
  private readonly stamps: number[] = [];
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly opts: Required<Omit<BudgetOptions, 'now'>> & { now: () => number };
  /** Set by a 429: nothing is sent before this time. */
  private pausedUntil = 0;

  constructor(opts: BudgetOptions) {
    if (opts.userReserve >= opts.perMinute) throw new Error('userReserve must be below perMinute');
    this.opts = { windowMs: 60_000, now: Date.now, ...opts };
  }

  /** Requests sent in the current window (for diagnostics and tests). */
  used(): number {
    this.prune();
    return this.stamps.length;
  }

  /** Honour a server's Retry-After: hold every request until then. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.schedule();
  }

  /** Waits for room in the budget, then counts one request. */
  acquire(priority: Priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve, reject, ...(signal ? { signal } : {}) };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      // User actions queue ahead of every background request.
      const at = priority === 'user' ? this.waiters.findIndex((w) => w.priority === 'background') : -1;
      if (at >= 0) this.waiters.splice(at, 0, waiter);
      else this.waiters.push(waiter);
      this.drain();
    });
  }

  private limitFor(priority: Priority): number {
    return priority === 'user' ? this.opts.perMinute : this.opts.perMinute - this.opts.userReserve;
  }

  private drain(): void {
    this.prune();
    const now = this.opts.now();
    while (this.waiters.length > 0 && now >= this.pausedUntil) {
      const next = this.waiters[0]!;
      if (this.stamps.length >= this.limitFor(next.priority)) break;
      this.waiters.shift();
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      this.stamps.push(now);
      next.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    const now = this.opts.now();
    const head = this.waiters[0]!;
    // When the window is full for the head waiter, room appears as the oldest request ages out.
    const full = this.stamps.length >= this.limitFor(head.priority);
    const windowFree = full
      ? this.stamps[this.stamps.length - this.limitFor(head.priority)]! + this.opts.windowMs
      : now;
    const wait = Math.max(this.pausedUntil - now, windowFree - now, 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, wait);
    this.timer.unref?.();
  }

  private prune(): void {
    const cutoff = this.opts.now() - this.opts.windowMs;
    while (this.stamps.length > 0 && this.stamps[0]! <= cutoff) this.stamps.shift();
  }
}

function abortError(): Error {
  const err = new Error('The request was cancelled.');
  err.name = 'AbortError';
  return err;
}
