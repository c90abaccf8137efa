// While push is unavailable the chat source polls the roster (poller.ts) and tries push again now
// and then; push coming back ends the polling.
import type { PushPort } from '../sources/source.ts';
import { Poller, type TickResult } from './poller.ts';
import type { WatcherTimings } from './types.ts';

export interface PollFallbackOptions {
  timings: WatcherTimings;
  push: Pick<PushPort, 'start'>;
  /** One poll: a sync of the roster and the chats it shows changed. */
  tick(): Promise<TickResult>;
  /** Push may be tried again (running, signed in). */
  active(): boolean;
  log(message: string): void;
  now(): number;
  random(): number;
}

export class PollFallback {
  private readonly o: PollFallbackOptions;
  private poller: Poller | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: PollFallbackOptions) {
    this.o = options;
  }

  get polling(): boolean {
    return this.poller !== null;
  }

  start(reason: string): void {
    this.o.log(`polling instead of push: ${reason}`);
    this.poller?.stop();
    this.poller = new Poller({
      timings: this.o.timings,
      tick: () => this.o.tick(),
      now: this.o.now,
      random: this.o.random,
    });
    this.poller.start();
    this.retryPushSoon(this.o.timings.pushRetryMs);
  }

  /** A poll now (a gap, a resync). */
  kick(): void {
    this.poller?.kick();
  }

  /** Tries push again after `delay` ms, while still polling. */
  retryPushSoon(delay: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.o.active() || !this.polling) return;
      this.o.log('trying push again');
      this.o.push.start();
    }, delay);
    this.retryTimer.unref();
  }

  /** Push is back, or the run ended: polling and retries stop. */
  stop(): void {
    this.poller?.stop();
    this.poller = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
