// Schedules poll ticks while push is unavailable: fast after activity, slower when quiet, backing
// off on failures, never tighter than the floor that keeps steady polling within the request budget.
import { backoffDelay } from './backoff.ts';
import type { WatcherTimings } from './types.ts';

export type TickResult = { ok: true; messages: number } | { ok: false };

export interface PollerOptions {
  timings: Pick<
    WatcherTimings,
    'pollBaseMs' | 'pollFastMs' | 'pollSlowMs' | 'pollFloorMs' | 'reconnectMinMs' | 'reconnectMaxMs'
  >;
  /** One poll: read the roster diff and the history of changed chats. Must not throw. */
  tick(): Promise<TickResult>;
  now(): number;
  random(): number;
}

/** How long activity keeps polling fast, and how long before quiet polling slows down. */
export const FAST_AFTER_ACTIVITY_MS = 2 * 60_000;
export const SLOW_AFTER_QUIET_MS = 10 * 60_000;

export class Poller {
  private readonly options: PollerOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private ticking = false;
  private again = false;
  private failures = 0;
  private lastActivity = -Infinity;
  private startedAt = 0;

  constructor(options: PollerOptions) {
    this.options = options;
  }

  get active(): boolean {
    return this.running;
  }

  /** Starts polling with a tick right away. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.startedAt = this.options.now();
    void this.run();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Something suggests news (resume, online, a manual refresh): tick now and poll fast for a while. */
  kick(): void {
    if (!this.running) return;
    this.lastActivity = this.options.now();
    this.failures = 0;
    if (this.ticking) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** The wait before the next tick, given the state now. */
  nextDelay(): number {
    const t = this.options.timings;
    if (this.failures > 0) {
      const backoff = backoffDelay(
        this.failures,
        { minMs: t.reconnectMinMs, maxMs: t.reconnectMaxMs },
        this.options.random,
      );
      return Math.max(t.pollFloorMs, backoff);
    }
    const now = this.options.now();
    const quietFor = now - Math.max(this.lastActivity, this.startedAt);
    let interval = t.pollBaseMs;
    if (now - this.lastActivity < FAST_AFTER_ACTIVITY_MS) interval = t.pollFastMs;
    else if (quietFor >= SLOW_AFTER_QUIET_MS) interval = t.pollSlowMs;
    return Math.max(t.pollFloorMs, interval);
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = true;
    try {
      do {
        this.again = false;
        const result = await this.options.tick();
        if (!this.running) return;
        if (result.ok) {
          this.failures = 0;
          if (result.messages > 0) this.lastActivity = this.options.now();
        } else this.failures++;
      } while (this.again && this.running);
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, this.nextDelay());
    this.timer.unref();
  }
}
