// The chat source (the first WatchSource): push first, a REST backfill after every gap, polling the
// roster while push is unavailable. It turns everything it learns about the user's Collaborate Chat
// rooms and 1on1s into per-chat batches of ChatEvents for the engine's pipeline.
import { GenesysError } from '../../genesys/http.ts';
import type { PushStatus } from '../push/status.ts';
import type {
  ChannelEvent,
  PushPort,
  SourceContext,
  SourceDiagnostics,
  SourceStart,
  WatchSource,
} from '../sources/source.ts';
import { isChatTopic } from './chat-frames.ts';
import { chatParts, type ChatParts, type ChatSourceOptions } from './chat-parts.ts';
import { Listeners } from './listeners.ts';
import type { ResyncReason, WatcherEvents, WatcherTimings, WatchState } from './types.ts';
import { errorText } from '../../../shared/errors.ts';

export class ChatSource implements WatchSource {
  readonly id = 'chats';
  private readonly t: WatcherTimings;
  private readonly push: PushPort;
  private readonly log: (message: string) => void;
  private readonly listeners: Listeners<WatcherEvents>;
  /** What the source is made of (chat-parts.ts). */
  private readonly p: ChatParts;

  private current: WatchState = 'offline';
  private running = false;
  private signedOut = false;
  /** Bumped by stop/restart: late results of an older run are dropped. */
  private generation = 0;
  private pushStatus: 'connecting' | 'up' | 'offline' = 'connecting';
  private restOffline = false;

  constructor(deps: SourceContext, opts: ChatSourceOptions = {}) {
    this.t = deps.timings;
    this.push = deps.push;
    this.log = deps.log;
    this.listeners = new Listeners<WatcherEvents>(this.log);
    this.p = chatParts(deps, opts, {
      active: () => this.running && !this.signedOut,
      signedOut: () => this.signedOut,
      generation: () => this.generation,
      batch: (batch) => this.listeners.emit('batch', batch),
      roster: (entries, info) => this.listeners.emit('roster', entries, info),
      caughtUp: (at) => {
        this.restOffline = false;
        this.setState();
        this.listeners.emit('synced', at);
      },
      restError: (err, what) => this.restError(err, what),
      clockJump: () => this.resync('clock-jump'),
    });
  }

  get state(): WatchState {
    return this.current;
  }

  /** The chat topics' states and the rooms recovered over REST, for the diagnostics report (no ids). */
  diagnostics(): SourceDiagnostics {
    return { topics: this.p.topics.diagnostics(), recovered: this.p.reader.recovered };
  }

  ownsTopic(topic: string): boolean {
    return isChatTopic(topic);
  }

  topics(): string[] {
    return this.p.topics.plan.topics;
  }

  onChannel(event: ChannelEvent): void {
    if (!this.running || this.signedOut) return;
    if (event.type === 'system') this.onSystem(event.notice);
    else if (event.type === 'topics')
      this.p.topics.noteAnswer(event.wanted, event.listing, () => this.p.book.entries());
    else this.onPushStatus(event);
  }

  on<K extends keyof WatcherEvents>(event: K, listener: WatcherEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  /**
   * `syncedAt`: what `synced` last reported in an earlier run; absent on the very first run.
   * `known`: the roster an earlier run left: the first subscription already holds its rooms' topics,
   * so their events (reactions, which no roster date shows) are pushed before the first roster read.
   */
  start(opts: SourceStart = {}): void {
    if (this.running) return;
    this.running = true;
    this.p.catchUp.syncedAt = opts.syncedAt;
    if (opts.known?.length && this.p.book.size === 0) this.p.topics.seed(opts.known);
    this.begin();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.halt();
    this.p.gaps.clear();
    this.signedOut = false;
    this.setState();
  }

  /**
   * Something may have been missed (power resume, unlock, network back, clock jump, the user asked):
   * check the socket and backfill. After a lost sign-in only `manual` starts again.
   */
  resync(reason: ResyncReason): void {
    if (!this.running) return;
    if (this.signedOut) {
      if (reason !== 'manual') return;
      this.log('resync (manual): starting again after sign-in');
      this.signedOut = false;
      this.halt();
      this.begin();
      return;
    }
    if (reason === 'network-lost') {
      // Nothing to fetch while offline: a ping finds out at once whether the socket is dead,
      // instead of waiting for the heartbeat watchdog. Coming back online ('online') catches up.
      this.log('network lost: probing the socket');
      if (!this.p.fallback.polling && this.push.up) this.push.probe();
      return;
    }
    this.log(`resync (${reason})`);
    this.p.gaps.open();
    this.p.syncs.restart();
    if (!this.p.fallback.polling) {
      if (this.push.up) {
        this.push.probe();
        this.p.syncs.request(reason === 'manual');
      } else this.push.retryNow();
      return;
    }
    this.p.fallback.kick();
    if (reason === 'manual' || reason === 'online') this.p.fallback.retryPushSoon(0);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  private begin(): void {
    this.generation++;
    this.p.catchUp.newRun();
    this.p.syncs.reset();
    this.restOffline = false;
    this.p.gaps.open();
    this.startPush();
    this.p.clock.start();
    this.setState();
  }

  /** Stops every task of the current run (sockets, timers); data (roster, memory) stays. */
  private halt(): void {
    this.generation++;
    this.push.stop();
    this.p.fallback.stop();
    this.p.clock.stop();
    this.p.syncs.clearRetry();
    this.p.reader.reset();
  }

  private signOut(reason: string): void {
    if (this.signedOut || !this.running) return;
    this.log(`sign-in needed, stopping until a manual resync: ${reason}`);
    this.signedOut = true;
    this.halt();
    this.setState();
  }

  private setState(): void {
    let next: WatchState;
    if (this.signedOut) next = 'needs-sign-in';
    else if (!this.running) next = 'offline';
    else if (this.restOffline || (!this.p.fallback.polling && this.pushStatus === 'offline'))
      next = 'offline';
    else if (this.p.fallback.polling) next = 'polling';
    else next = this.pushStatus === 'up' ? 'push' : 'connecting';
    if (next === this.current) return;
    this.current = next;
    this.log(`state ${next}`);
    this.listeners.emit('state', next);
  }

  // ---- push ---------------------------------------------------------------------------------

  private startPush(): void {
    this.pushStatus = 'connecting';
    if (this.p.topics.plan.topics.length === 0) this.p.topics.replan(this.p.book.entries());
    this.push.start();
  }

  private onPushStatus(status: PushStatus): void {
    switch (status.type) {
      case 'up':
        this.pushStatus = 'up';
        this.restOffline = false;
        this.p.gaps.open();
        if (this.p.fallback.polling) {
          this.log('push is back: polling stops');
          this.p.fallback.stop();
        }
        this.p.syncs.request();
        break;
      case 'down':
        this.pushStatus = 'connecting';
        this.p.gaps.open();
        break;
      case 'resubscribed':
        // Whatever came between the loss and now was not pushed: events from here on wait until a
        // sync that started after this point has read it.
        this.p.gaps.open();
        this.p.syncs.request();
        break;
      case 'offline':
        this.pushStatus = 'offline';
        break;
      case 'unavailable':
        this.pushStatus = 'connecting';
        if (!this.p.fallback.polling) this.p.fallback.start(status.reason);
        else this.p.fallback.retryPushSoon(this.t.pushRetryMs);
        break;
      case 'sign-in':
        this.signOut(status.reason);
        break;
    }
    this.setState();
  }

  /** `v2.system.*` notices other than `socket_closing` (the channel counts them). */
  private onSystem(notice: string): void {
    if (notice === 'other') return;
    // Events may have been lost between the notice and the new subscription: a gap.
    this.p.gaps.open();
    this.p.syncs.request();
  }

  onFrame(topic: string, eventBody: unknown): void {
    if (this.running && !this.signedOut) this.p.reader.read(topic, eventBody);
  }

  private restError(err: unknown, what: string): void {
    const message = errorText(err);
    if (err instanceof GenesysError && err.kind === 'needs-sign-in') {
      this.signOut(message);
      return;
    }
    if (err instanceof GenesysError && err.kind === 'network') {
      this.restOffline = true;
      this.setState();
    }
    this.log(`${what} failed: ${message}`);
  }
}
