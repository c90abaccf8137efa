// The chat source (the first WatchSource): push first, a REST backfill after every gap, polling the
// roster while push is unavailable. It turns everything it learns about the user's Collaborate Chat
// rooms and 1on1s into per-chat batches of ChatEvents for the engine's pipeline.
import { GenesysError } from '../../genesys/http.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import type { WireStats } from '../../genesys/wire-stats.ts';
import type { ChatRef } from '../model.ts';
import type { PushStatus } from '../push/push-channel.ts';
import { sameTopics } from '../push/topic-names.ts';
import type { ChannelEvent, PushPort, SourceContext, SourceDiagnostics, WatchSource } from '../sources/source.ts';
import { Backfiller, OVERLAP_MS } from './backfill.ts';
import { ChatRecovery } from './chat-recovery.ts';
import { ClockWatch } from './clock-watch.ts';
import { GapHold } from './gap-hold.ts';
import { isChatTopic } from './chat-frames.ts';
import { ChatPushReader } from './chat-push.ts';
import { Listeners } from './listeners.ts';
import { MessageMemory } from './message-memory.ts';
import { PushEventMapper } from './push-events.ts';
import { Poller, type TickResult } from './poller.ts';
import { RosterBook } from './roster-book.ts';
import { SenderDirectory } from './senders.ts';
import { SyncScheduler } from './sync-scheduler.ts';
import { TopicStates } from './topic-states.ts';
import { planTopics, type TopicPlan } from './topics.ts';
import type { ResyncReason, WatchBatch, WatcherEvents, WatcherTimings, WatchState } from './types.ts';

export interface ChatSourceOptions {
  /** Monotonic clock for the sleep detector (default performance.now). */
  monotonic?(): number;
  random?(): number;
}


type SyncKind = 'backfill' | 'poll';

export class ChatSource implements WatchSource {
  readonly id = 'chats';
  private readonly d: SourceContext;
  private readonly t: WatcherTimings;
  private readonly push: PushPort;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly log: (message: string) => void;
  private readonly listeners: Listeners<WatcherEvents>;
  private readonly book = new RosterBook();
  private readonly memory = new MessageMemory();
  private readonly senders: SenderDirectory;
  private readonly mapper: PushEventMapper;
  private readonly backfiller: Backfiller;
  private readonly clock: ClockWatch;
  private readonly wire: WireStats;
  private readonly topicStates = new TopicStates();
  private readonly recovery: ChatRecovery;
  private readonly reader: ChatPushReader;

  private current: WatchState = 'offline';
  private running = false;
  private signedOut = false;
  /** Bumped by stop/restart: late results of an older run are dropped. */
  private generation = 0;
  private syncedAt: number | undefined;
  private sessionStart = 0;
  private rosterPublished = false;
  private plan: TopicPlan = { topics: [], chats: new Map(), byChat: new Map(), overflow: 0 };

  private mode: 'push' | 'poll' = 'push';
  private pushStatus: 'connecting' | 'up' | 'offline' = 'connecting';
  private poller: Poller | null = null;
  private pushRetryTimer: ReturnType<typeof setTimeout> | null = null;
  private restOffline = false;

  /** Pushed events wait here while a gap is backfilled (see gap-hold.ts). */
  private readonly gaps: GapHold;
  private readonly syncs: SyncScheduler;

  constructor(deps: SourceContext, opts: ChatSourceOptions = {}) {
    this.d = deps;
    this.t = deps.timings;
    this.push = deps.push;
    this.now = deps.now;
    this.random = opts.random ?? Math.random;
    this.log = deps.log;
    this.listeners = new Listeners<WatcherEvents>(this.log);
    this.wire = deps.wireStats;
    this.gaps = new GapHold({ emit: (batch) => this.listeners.emit('batch', batch), log: this.log });
    this.syncs = new SyncScheduler({
      timings: this.t,
      random: this.random,
      active: () => this.running && !this.signedOut,
      polling: () => this.mode === 'poll',
      kickPoll: () => this.poller?.kick(),
      run: () => {
        const generation = this.generation;
        return this.sync('backfill').then((r) => (generation === this.generation ? r.ok : null));
      },
    });
    this.recovery = new ChatRecovery({
      delayMs: this.t.surpriseReadMs,
      gap: () => this.gaps.open(),
      read: (chat) => {
        // In a sync, whatever the roster says: the sync releases the events held since the gap.
        this.log(`push: reading ${chat.kind} ${chat.id} over REST after an unreadable event`);
        this.backfiller.readNextSync(chat);
        this.syncs.request();
      },
    });
    this.senders = new SenderDirectory(deps.api, deps.me);
    this.mapper = new PushEventMapper({ senders: this.senders, memory: this.memory, meId: deps.me.id });
    this.backfiller = new Backfiller({
      api: deps.api,
      cursors: deps.cursors,
      book: this.book,
      memory: this.memory,
      emit: (batch) => {
        if (this.running && !this.signedOut) this.listeners.emit('batch', batch);
      },
      log: this.log,
      now: this.now,
    });
    this.reader = new ChatPushReader({
      me: deps.me,
      book: this.book,
      plan: () => this.plan,
      push: this.push,
      recovery: this.recovery,
      mapper: this.mapper,
      gaps: this.gaps,
      wire: this.wire,
      log: this.log,
      now: this.now,
      generation: () => this.generation,
      requestSync: () => this.syncs.request(),
      readChat: (chat) => this.backfillChat(chat),
      restError: (err, what) => this.restError(err, what),
    });
    this.clock = new ClockWatch({
      checkMs: this.t.clockCheckMs,
      jumpMs: this.t.clockJumpMs,
      onJump: (detail) => {
        this.log(`clock jump: ${detail}`);
        this.resync('clock-jump');
      },
      now: this.now,
      ...(opts.monotonic ? { monotonic: opts.monotonic } : {}),
    });
  }

  get state(): WatchState {
    return this.current;
  }

  /** The chat topics' states and the rooms recovered over REST, for the diagnostics report (no ids). */
  diagnostics(): SourceDiagnostics {
    return { topics: this.topicStates.diagnostics(this.plan.overflow), recovered: this.recovery.recovered };
  }

  ownsTopic(topic: string): boolean {
    return isChatTopic(topic);
  }

  topics(): string[] {
    return this.plan.topics;
  }

  onChannel(event: ChannelEvent): void {
    if (!this.running || this.signedOut) return;
    if (event.type === 'system') this.onSystem(event.notice);
    else if (event.type === 'topics') this.onTopics(event.wanted, event.listing);
    else this.onPushStatus(event);
  }

  on<K extends keyof WatcherEvents>(event: K, listener: WatcherEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  /** `syncedAt`: what `synced` last reported in an earlier run; absent on the very first run. */
  start(opts: { syncedAt?: number } = {}): void {
    if (this.running) return;
    this.running = true;
    this.syncedAt = opts.syncedAt;
    this.begin();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.halt();
    this.gaps.clear();
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
      if (this.mode === 'push' && this.push.up) this.push.probe();
      return;
    }
    this.log(`resync (${reason})`);
    this.gaps.open();
    this.syncs.restart();
    if (this.mode === 'push') {
      if (this.push.up) {
        this.push.probe();
        this.syncs.request(reason === 'manual');
      } else this.push.retryNow();
      return;
    }
    this.poller?.kick();
    if (reason === 'manual' || reason === 'online') this.retryPushSoon(0);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  private begin(): void {
    this.generation++;
    this.sessionStart = this.now();
    this.rosterPublished = false;
    this.syncs.reset();
    this.restOffline = false;
    this.gaps.open();
    this.startPush();
    this.clock.start();
    this.setState();
  }

  /** Stops every task of the current run (sockets, timers); data (roster, memory) stays. */
  private halt(): void {
    this.generation++;
    this.push.stop();
    this.poller?.stop();
    this.poller = null;
    this.clock.stop();
    this.recovery.cancel();
    this.syncs.clearRetry();
    if (this.pushRetryTimer) clearTimeout(this.pushRetryTimer);
    this.pushRetryTimer = null;
    this.reader.reset();
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
    else if (this.restOffline || (this.mode === 'push' && this.pushStatus === 'offline')) next = 'offline';
    else if (this.mode === 'poll') next = 'polling';
    else next = this.pushStatus === 'up' ? 'push' : 'connecting';
    if (next === this.current) return;
    this.current = next;
    this.log(`state ${next}`);
    this.listeners.emit('state', next);
  }

  // ---- push ---------------------------------------------------------------------------------

  private startPush(): void {
    this.mode = 'push';
    this.pushStatus = 'connecting';
    if (this.plan.topics.length === 0) this.replan();
    this.push.start();
  }

  private replan(): void {
    this.plan = planTopics(this.d.me.id, this.book.entries(), this.topicStates.rejected, this.push.topicLimit());
  }

  /**
   * A subscription answer: what it failed to say is counted; a newly Rejected room topic makes the
   * plan try the room's other spelling (its messages come by badge and backfill meanwhile).
   */
  private onTopics(wanted: string[], listing: TopicListing): void {
    const { newlyRejected, missing } = this.topicStates.note(wanted, listing);
    if (missing > 0)
      this.wire.surprise('push subscription answer: a requested topic not listed', { missing });
    if (!newlyRejected) return;
    this.replan();
    if (!sameTopics(this.plan.topics, wanted)) this.push.syncTopics().catch(() => {});
  }

  private onPushStatus(status: PushStatus): void {
    switch (status.type) {
      case 'up':
        this.pushStatus = 'up';
        this.restOffline = false;
        this.gaps.open();
        if (this.mode === 'poll') {
          this.log('push is back: polling stops');
          this.mode = 'push';
          this.poller?.stop();
          this.poller = null;
          if (this.pushRetryTimer) clearTimeout(this.pushRetryTimer);
          this.pushRetryTimer = null;
        }
        this.syncs.request();
        break;
      case 'down':
        this.pushStatus = 'connecting';
        this.gaps.open();
        break;
      case 'resubscribed':
        // Whatever came between the loss and now was not pushed: events from here on wait until a
        // sync that started after this point has read it.
        this.gaps.open();
        this.syncs.request();
        break;
      case 'offline':
        this.pushStatus = 'offline';
        break;
      case 'unavailable':
        this.pushStatus = 'connecting';
        if (this.mode === 'push') this.startPolling(status.reason);
        else this.retryPushSoon(this.t.pushRetryMs);
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
    this.gaps.open();
    this.syncs.request();
  }

  onFrame(topic: string, eventBody: unknown): void {
    if (this.running && !this.signedOut) this.reader.read(topic, eventBody);
  }

  /** Reads one chat now (outside a sync); a failure leaves it to the next sync. */
  private backfillChat(chat: ChatRef): void {
    const generation = this.generation;
    const from = (this.syncedAt ?? this.sessionStart) - OVERLAP_MS;
    this.backfiller.chat(chat, this.mode === 'poll' ? 'poll' : 'backfill', from).catch((err: unknown) => {
      if (generation !== this.generation) return;
      this.restError(err, `reading ${chat.kind} ${chat.id}`);
      if (!this.signedOut) this.syncs.scheduleRetry();
    });
  }

  // ---- polling ------------------------------------------------------------------------------

  private startPolling(reason: string): void {
    this.log(`polling instead of push: ${reason}`);
    this.mode = 'poll';
    this.poller?.stop();
    this.poller = new Poller({
      timings: this.t,
      tick: () => this.sync('poll'),
      now: this.now,
      random: this.random,
    });
    this.poller.start();
    this.retryPushSoon(this.t.pushRetryMs);
  }

  private retryPushSoon(delay: number): void {
    if (this.pushRetryTimer) clearTimeout(this.pushRetryTimer);
    this.pushRetryTimer = setTimeout(() => {
      this.pushRetryTimer = null;
      if (!this.running || this.signedOut || this.mode !== 'poll') return;
      this.log('trying push again');
      this.push.start();
    }, delay);
    this.pushRetryTimer.unref();
  }

  // ---- syncing ------------------------------------------------------------------------------

  /** One sync: roster (diff or full), topics, then every changed chat's history. Never throws. */
  private async sync(source: SyncKind): Promise<TickResult> {
    const generation = this.generation;
    const startEpoch = this.gaps.current;
    const last = this.book.lastFullRead;
    const owed = this.syncs.takeFull();
    const full = owed || last === undefined || this.now() - last >= this.t.rosterFullMs;
    try {
      const result = await this.backfiller.sync({
        source,
        full,
        newChatsFrom: this.syncedAt === undefined ? undefined : this.syncedAt - OVERLAP_MS,
        afterRoster: async (changed) => {
          if (generation !== this.generation) throw new Error('the watcher stopped');
          if (changed || !this.rosterPublished) this.publishRoster();
          this.replan();
          if (this.mode === 'push') await this.push.syncTopics();
        },
      });
      if (generation !== this.generation) return { ok: false };
      this.syncedAt = result.startedAt;
      this.syncs.succeeded();
      this.restOffline = false;
      this.gaps.cover(startEpoch);
      this.setState();
      this.listeners.emit('synced', result.startedAt);
      return { ok: true, messages: result.messages };
    } catch (err) {
      if (generation !== this.generation) return { ok: false };
      this.syncs.owe(full);
      this.restError(err, source === 'poll' ? 'polling' : 'backfilling');
      return { ok: false };
    }
  }

  private publishRoster(): void {
    const entries = this.book.entries();
    for (const e of entries) if (e.chat.kind === 'oneOnOne') this.senders.learn(e.chat.jid, e.chat.id);
    this.rosterPublished = true;
    this.listeners.emit('roster', entries, { seed: this.syncedAt === undefined });
  }

  private restError(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
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
