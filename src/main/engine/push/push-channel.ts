// Keeps ONE notification channel open and subscribed: creates it (new-channel.ts), keeps
// its topics in step, extends its life, replaces it when it dies, and says when push is unusable.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import { backoffDelay } from '../watch/backoff.ts';
import type { PushFrame } from './frames.ts';
import { ChannelRefused, newChannel } from './new-channel.ts';
import { PushConnection, SocketOpenError } from './push-connection.ts';
import type { PushStatus } from './status.ts';
import { Subscription } from './subscription.ts';
import type { WatcherTimings, WebSocketCtor } from '../watch/types.ts';
import { errorText } from '../../../shared/errors.ts';

export interface PushChannelOptions {
  api: Pick<ChatApi, 'createChannel' | 'replaceTopics'>;
  allowedSocketHosts: readonly string[];
  WebSocketImpl: WebSocketCtor;
  timings: Pick<
    WatcherTimings,
    'heartbeatTimeoutMs' | 'connectTimeoutMs' | 'reconnectMinMs' | 'reconnectMaxMs' | 'probeTimeoutMs'
  >;
  /** The topics wanted right now, in priority order (already capped). */
  topics(): string[];
  onFrame(frame: PushFrame): void;
  onStatus(status: PushStatus): void;
  /** What the server said of each topic requested (`wanted`), after every subscription PUT. */
  onTopics?(wanted: string[], listing: TopicListing): void;
  log(message: string): void;
  now(): number;
  random(): number;
  /** Consecutive channels whose socket never worked before push counts as unavailable (default 3). */
  brokenBeforeUnavailable?: number;
}

const DAY_MS = 86_400_000;

export class PushChannel {
  private readonly o: PushChannelOptions;
  private current: PushConnection | null = null;
  private running = false;
  private establishing = false;
  /** Consecutive failures, for the backoff. */
  private failures = 0;
  /** Consecutive channels whose socket never delivered a frame (or never opened). */
  private broken = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly subscription: Subscription;
  private lifetimeMs = DAY_MS;
  private topicChain: Promise<void> = Promise.resolve();
  /** The server dropped this channel's subscriptions (or its token) and they are not back yet. */
  private lost = false;

  constructor(options: PushChannelOptions) {
    this.o = options;
    this.subscription = new Subscription({
      log: options.log,
      ...(options.onTopics ? { onTopics: options.onTopics } : {}),
      renew: () => this.syncTopics(true),
      live: () => this.current !== null,
      retryMaxMs: options.timings.reconnectMaxMs,
    });
  }

  get up(): boolean {
    return this.current !== null;
  }

  get channelId(): string | undefined {
    return this.current?.channel.id;
  }

  /** Topics the server permitted on the current channel (Rejected and unconfirmed ones are not). */
  isSubscribed(topic: string): boolean {
    return this.current !== null && this.subscription.has(topic);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.broken = 0;
    void this.establish();
  }

  stop(): void {
    this.running = false;
    this.clearTimers();
    this.current?.close();
    this.current = null;
    this.subscription.reset();
    this.lost = false;
  }

  /** Reconnect now instead of waiting out the backoff (the network is back, the user asked). */
  retryNow(): void {
    if (!this.running || this.current || this.establishing) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.establish();
  }

  /** Checks the socket still answers; one that does not is replaced (a gap). */
  probe(): void {
    this.current?.probe(this.o.timings.probeTimeoutMs);
  }

  /**
   * Puts the wanted topics on the channel if they changed since the last PUT (`force`: PUT anyway,
   * which extends the channel's life). Rejects when the PUT fails; does nothing while down.
   */
  syncTopics(force = false): Promise<void> {
    const run = this.topicChain.then(() => this.putTopics(force));
    this.topicChain = run.catch(() => {});
    return run;
  }

  private async putTopics(force: boolean): Promise<void> {
    const conn = this.current;
    if (!conn) return;
    const wanted = this.o.topics();
    if (!force && this.subscription.unchanged(wanted)) return;
    const listing = await this.o.api.replaceTopics(conn.channel.id, wanted, { ignoreErrors: true });
    if (conn !== this.current) return;
    this.subscription.note(wanted, listing);
    this.subscription.scheduleRenewal(this.lifetimeMs);
    this.restored();
  }

  /** The subscriptions lost on a live channel are back (a PUT, or a replacement channel). */
  private restored(): void {
    if (!this.lost) return;
    this.lost = false;
    this.o.log('push: subscribed again after the server dropped the subscriptions');
    this.o.onStatus({ type: 'resubscribed' });
  }

  private async establish(): Promise<void> {
    if (!this.running || this.establishing) return;
    this.establishing = true;
    const handover = this.current !== null;
    let conn: PushConnection | null = null;
    try {
      const channel = await newChannel(this.o.api, this.o.allowedSocketHosts, () => this.running);
      if (!channel) return;
      const opened = await PushConnection.open(channel, {
        WebSocketImpl: this.o.WebSocketImpl,
        heartbeatTimeoutMs: this.o.timings.heartbeatTimeoutMs,
        connectTimeoutMs: this.o.timings.connectTimeoutMs,
        onFrame: (frame) => this.frame(opened, frame),
        onEnd: (reason, silent) => this.ended(opened, reason, silent),
      });
      conn = opened;
      if (!this.running) return;
      const wanted = this.o.topics();
      const listing = await this.o.api.replaceTopics(channel.id, wanted, { ignoreErrors: true });
      if (!this.running) return;
      if (opened.ended) throw new SocketOpenError('the channel ended while subscribing');
      const previous = this.current;
      this.current = opened;
      conn = null; // owned by `current` now
      const subscribed = this.subscription.note(wanted, listing);
      const expiresIn = channel.expiresAt !== undefined ? channel.expiresAt - this.o.now() : DAY_MS;
      this.lifetimeMs = Math.min(DAY_MS, Math.max(1_000, expiresIn));
      this.subscription.scheduleRenewal(this.lifetimeMs);
      this.failures = 0;
      if (previous) {
        // Make-before-break: the new channel is subscribed, so dropping the old one loses nothing.
        previous.close();
        this.o.log(`push: moved to channel ${channel.id} before the old socket closed`);
        this.restored();
      } else {
        this.lost = false;
        this.o.log(`push: channel ${channel.id} open and subscribed to ${subscribed} topic(s)`);
        this.o.onStatus({ type: 'up', channelId: channel.id });
      }
    } catch (err) {
      this.failed(err, handover);
    } finally {
      conn?.close();
      this.establishing = false;
    }
  }

  private failed(err: unknown, handover: boolean): void {
    if (!this.running) return;
    const why = errorText(err);
    if (this.current) {
      // A handover failed but the old socket still works; when it closes we reconnect as usual.
      this.o.log(`push: could not open a replacement channel yet: ${why}`);
      return;
    }
    if (handover) this.o.log('push: the old socket closed before its replacement was ready');
    if (err instanceof GenesysError && err.kind === 'needs-sign-in') {
      this.stop();
      this.o.onStatus({ type: 'sign-in', reason: why });
      return;
    }
    if (err instanceof ChannelRefused) return this.giveUp(why);
    this.failures++;
    if (err instanceof GenesysError && err.kind === 'network') {
      this.o.onStatus({ type: 'offline', reason: why });
    } else {
      this.broken++;
      if (this.broken >= (this.o.brokenBeforeUnavailable ?? 3))
        return this.giveUp(`${this.broken} channels in a row failed: ${why}`);
    }
    this.o.log(`push: connecting failed (${why}); retrying`);
    this.scheduleReconnect();
  }

  private giveUp(reason: string): void {
    this.o.log(`push: unavailable: ${reason}`);
    this.stop();
    this.o.onStatus({ type: 'unavailable', reason });
  }

  private frame(conn: PushConnection, frame: PushFrame): void {
    if (!this.running) return;
    if (conn === this.current && this.broken > 0) this.broken = 0;
    if (frame.kind === 'closing') {
      if (conn === this.current) {
        this.o.log('push: the server announced the socket closes soon; opening a new channel first');
        void this.establish();
      }
      return;
    }
    if (frame.kind === 'system' && conn === this.current) {
      this.o.log(`push: system notice (${frame.notice})`);
      if (frame.notice === 'token_revoked') {
        // The token that made this channel is gone: a new channel (with whatever token the session
        // has now, or a sign-in) replaces it. Until then nothing is subscribed: a gap.
        this.lost = true;
        this.subscription.drop();
        void this.establish();
      } else {
        // Subscriptions dropped: nothing counts as subscribed until a PUT brings them back (a dead
        // channel answers 404 and is replaced). A failed PUT is retried by the next sync of a source.
        if (frame.notice === 'no_longer_subscribed') {
          this.lost = true;
          this.subscription.drop(true);
        }
        this.syncTopics(true).catch(() => {});
      }
    }
    // Frames from a channel that is still being subscribed (or handing over) count too: duplicates
    // are dropped downstream, and anything before the first `up` is held until the gap is backfilled.
    this.o.onFrame(frame);
  }

  private ended(conn: PushConnection, reason: string, silent: boolean): void {
    if (!this.running || conn !== this.current) return;
    this.current = null;
    this.subscription.reset();
    this.lost = false; // 'down', then 'up', covers the gap
    // It worked if anything came through, or if it lived a while before the network or the server
    // ended it. Sockets that are closed at once or stay silent until the watchdog count as broken.
    const worked = conn.provedAlive || (!silent && conn.ageMs >= this.o.timings.connectTimeoutMs);
    if (worked) {
      this.failures = 0;
      this.broken = 0;
    } else {
      this.failures++;
      this.broken++;
    }
    this.o.log(`push: socket lost: ${reason}`);
    this.o.onStatus({ type: 'down', reason });
    if (!this.running) return;
    if (this.broken >= (this.o.brokenBeforeUnavailable ?? 3))
      return this.giveUp(`${this.broken} channels in a row never worked: ${reason}`);
    // A replacement already on its way (make-before-break) becomes the new connection.
    if (!this.establishing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(
      Math.max(1, this.failures),
      { minMs: this.o.timings.reconnectMinMs, maxMs: this.o.timings.reconnectMaxMs },
      this.o.random,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.establish();
    }, delay);
    this.reconnectTimer.unref();
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.subscription.stopRenewal();
  }
}
