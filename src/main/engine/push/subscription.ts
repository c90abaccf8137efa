// What the one channel is subscribed to: the topics last requested, the ones the server permitted
// (only those count as subscribed; the rest go to badges and backfill), and the timer that
// subscribes again before the channel's 24 h life runs out.
import type { TopicListing } from '../../genesys/push-wire.ts';
import { sameTopics } from './topic-names.ts';
import { errorText } from '../../../shared/errors.ts';

export interface SubscriptionOptions {
  log(message: string): void;
  /** What the server said of each topic requested (`wanted`), after every subscription PUT. */
  onTopics?(wanted: string[], listing: TopicListing): void;
  /** PUTs the topics again (which extends the channel's life). */
  renew(): Promise<void>;
  /** A channel is open (a failed renewal is retried only then). */
  live(): boolean;
  /** The longest wait before a failed renewal is tried again. */
  retryMaxMs: number;
}

export class Subscription {
  private readonly o: SubscriptionOptions;
  private requested: string[] | null = null;
  private applied = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: SubscriptionOptions) {
    this.o = options;
  }

  has(topic: string): boolean {
    return this.applied.has(topic);
  }

  /** `wanted` is what was last requested: no PUT is needed. */
  unchanged(wanted: string[]): boolean {
    return this.requested !== null && sameTopics(wanted, this.requested);
  }

  /** Nothing counts as subscribed until the next answer (`forget`: and the next sync must PUT). */
  drop(forget = false): void {
    this.applied = new Set();
    if (forget) this.requested = null;
  }

  /** Only topics the answer lists as Permitted count as subscribed. Returns how many do. */
  note(wanted: string[], listing: TopicListing): number {
    this.requested = wanted;
    const permitted = new Set(listing.topics.filter((t) => t.state === 'Permitted').map((t) => t.id));
    this.applied = new Set(wanted.filter((t) => permitted.has(t)));
    const refused = wanted.length - this.applied.size;
    if (refused > 0) {
      const reasons = [
        ...new Set(listing.topics.flatMap((t) => (t.rejectionReason ? [t.rejectionReason] : []))),
      ];
      this.o.log(
        `push: ${refused} of ${wanted.length} topic(s) not permitted (badges and backfill cover those chats)` +
          (reasons.length ? `: ${reasons.slice(0, 3).join('; ').slice(0, 300)}` : ''),
      );
    }
    this.o.onTopics?.(wanted, listing);
    return this.applied.size;
  }

  /** Subscribing again extends the channel's life (`lifetimeMs`): do it well before it runs out. */
  scheduleRenewal(lifetimeMs: number): void {
    this.stopRenewal();
    const margin = Math.min(3_600_000, lifetimeMs / 4);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.o.renew().catch((err: unknown) => {
        this.o.log(`push: extending the channel failed: ${errorText(err)}`);
        if (!this.o.live() || this.refreshTimer) return;
        this.refreshTimer = setTimeout(
          () => {
            this.refreshTimer = null;
            this.o.renew().catch(() => {});
          },
          Math.min(this.o.retryMaxMs, margin / 2),
        );
        this.refreshTimer.unref();
      });
    }, lifetimeMs - margin);
    this.refreshTimer.unref();
  }

  stopRenewal(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  /** The channel is gone: nothing requested, nothing subscribed, no renewal. */
  reset(): void {
    this.stopRenewal();
    this.requested = null;
    this.applied = new Set();
  }
}
