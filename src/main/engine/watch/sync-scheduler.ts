// When the chat source catches up over REST: one sync at a time, a request during one runs another
// after it, a failed one is retried with backoff (while polling, the poller does the retrying).
import { backoffDelay } from './backoff.ts';
import type { WatcherTimings } from './types.ts';

export interface SyncSchedulerOptions {
  timings: Pick<WatcherTimings, 'reconnectMinMs' | 'reconnectMaxMs'>;
  random(): number;
  /** Running and signed in: a sync may start. */
  active(): boolean;
  /** Polling: the poller's next tick is the sync. */
  polling(): boolean;
  kickPoll(): void;
  /** One sync; `false` when it failed. Resolves `null` when its run was stopped meanwhile. */
  run(): Promise<boolean | null>;
}

export class SyncScheduler {
  private syncing = false;
  private again = false;
  /** The next sync reads the whole roster (not a diff). */
  private full = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  private readonly o: SyncSchedulerOptions;

  constructor(options: SyncSchedulerOptions) {
    this.o = options;
  }

  /** A new run: the first sync reads the whole roster. */
  reset(): void {
    this.full = true;
    this.failures = 0;
    this.syncing = false;
    this.again = false;
  }

  /** Whether the next sync must read the whole roster; asking clears it. */
  takeFull(): boolean {
    const full = this.full;
    this.full = false;
    return full;
  }

  /** A failed sync's full read is still owed. */
  owe(full: boolean): void {
    this.full ||= full;
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Something changed (a resync): retry from the shortest backoff. */
  restart(): void {
    this.failures = 0;
    this.clearRetry();
  }

  /** A backfill after a gap; coalesced with one already running. While polling, a poll now. */
  request(full = false): void {
    if (!this.o.active()) return;
    if (this.o.polling()) {
      this.o.kickPoll();
      return;
    }
    this.full ||= full;
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.clearRetry();
    this.syncing = true;
    void this.o.run().then((ok) => {
      if (ok === null) return;
      this.syncing = false;
      if (!ok && this.o.active()) this.scheduleRetry();
      else if (this.again) {
        this.again = false;
        this.request();
      }
    });
  }

  scheduleRetry(): void {
    if (this.retryTimer || this.o.polling()) return; // the poller retries on its own
    this.failures++;
    const delay = backoffDelay(
      this.failures,
      { minMs: this.o.timings.reconnectMinMs, maxMs: this.o.timings.reconnectMaxMs },
      this.o.random,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.request();
    }, delay);
    this.retryTimer.unref();
  }

  clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
