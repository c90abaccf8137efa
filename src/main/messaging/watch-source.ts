// The messaging source as one of the engine's watched sources (engine/sources/source.ts): it owns the
// `v2.users.{me}.conversations` topic family on the shared channel, feeds its frames to the
// MessagingSource, tells it what the channel says (a subscription answer's topic state; every gap
// — up, resubscribed, a system notice — is a REST resync), and passes its batches on to the one
// decision pipeline. While push cannot be used it re-reads the listing every `pollBaseMs`.
//
// Its connection state never makes the user's look worse than the chats': while messaging is not
// available (no permission, topic Rejected, 403) or not started it reports `push`, which the merge
// (watching.ts `mergeStates`) treats as "nothing to add". Unavailable is not a failure.
import type { ChannelEvent, SourceContext, SourceEvents, WatchSource } from '../engine/sources/source.ts';
import { Listeners } from '../engine/watch/listeners.ts';
import type { ResyncReason, WatchBatch, WatchState } from '../engine/watch/types.ts';
import { MessagingApi } from '../genesys/messaging/api.ts';
import { MessagingSource } from './source.ts';
import { offerMessageId, type MessagingAvailability } from './types.ts';

const TOPIC = /^v2\.users\.[^.\s]+\.conversations$/;
const OFFER_PREFIX = offerMessageId('');

export class MessagingWatchSource implements WatchSource {
  readonly id = 'messaging';
  /** The one conversations topic is kept for it whatever the chats ask. */
  readonly reservedTopics = 1;
  /** The customer-conversation source itself: the popup's reads and the agent's actions go to it. */
  readonly messaging: MessagingSource;
  private readonly ctx: SourceContext;
  private readonly listeners: Listeners<SourceEvents>;
  private channel: WatchState = 'connecting';
  private running = false;
  private pollTimer: ReturnType<typeof setInterval> | null = null;

  constructor(ctx: SourceContext) {
    this.ctx = ctx;
    this.listeners = new Listeners<SourceEvents>(ctx.log);
    this.messaging = new MessagingSource({
      api: new MessagingApi(ctx.http),
      me: ctx.me.id,
      now: ctx.now,
      log: ctx.log,
      surprise: (kind, value, detail) => ctx.wireStats.surprise(kind, value, detail),
      shownOffers: () => (ctx.cursors.pending?.() ?? []).filter((p) => p.messageId.startsWith(OFFER_PREFIX)),
      ...(ctx.sentByApp ? { sentByApp: ctx.sentByApp } : {}),
    });
    // A MessagingBatch is a WatchBatch of a `customer` chat (its events are ChatEvents).
    this.messaging.on('batch', (batch) => this.listeners.emit('batch', batch satisfies WatchBatch));
    this.messaging.on('state', () => this.listeners.emit('state', this.state));
  }

  get state(): WatchState {
    return this.running && this.messaging.availability().state === 'available' ? this.channel : 'push';
  }

  availability(): MessagingAvailability {
    return this.messaging.availability();
  }

  ownsTopic(topic: string): boolean {
    return TOPIC.test(topic);
  }

  topics(): string[] {
    return this.ctx.push.topicLimit() > 0 ? this.messaging.topics(this.ctx.me.id) : [];
  }

  onFrame(topic: string, body: unknown): void {
    void this.messaging.handleFrame(topic, body);
  }

  onChannel(event: ChannelEvent): void {
    if (!this.running) return;
    switch (event.type) {
      case 'topics':
        for (const t of event.listing.topics) this.messaging.topicState(t.id, t.state, t.rejectionReason);
        return;
      case 'up':
      case 'resubscribed':
        this.setChannel('push');
        void this.messaging.resync('manual');
        return;
      case 'system':
        void this.messaging.resync('manual');
        return;
      case 'down':
        this.setChannel('connecting');
        return;
      case 'offline':
        this.setChannel('offline');
        return;
      case 'unavailable':
        this.setChannel('polling');
        return;
      case 'sign-in':
        this.setChannel('needs-sign-in');
        return;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.channel = this.ctx.push.up ? 'push' : 'connecting';
    void this.messaging.start();
    this.ctx.push.start();
    this.listeners.emit('state', this.state);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.setPolling(false);
    this.messaging.stop();
    this.listeners.emit('state', this.state);
  }

  resync(reason: ResyncReason): void {
    // `network-lost` only asks the channel to prove itself (the chat source probes it).
    if (reason !== 'network-lost') void this.messaging.resync(reason);
  }

  on<K extends keyof SourceEvents>(event: K, listener: SourceEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  private setChannel(next: WatchState): void {
    this.setPolling(next === 'polling');
    if (next === this.channel) return;
    this.channel = next;
    this.listeners.emit('state', this.state);
  }

  private setPolling(on: boolean): void {
    if (on && !this.pollTimer) {
      this.pollTimer = setInterval(() => void this.messaging.resync('manual'), this.ctx.timings.pollBaseMs);
      this.pollTimer.unref?.();
    } else if (!on && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }
  }
}
