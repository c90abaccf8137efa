// The watcher: push first, a REST backfill after every gap, polling while push is unavailable. It
// turns everything it learns into per-chat batches of ChatEvents for the engine.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import { WireStats } from '../../genesys/wire-stats.ts';
import type { WatchDiagnostics } from '../diagnostics.ts';
import type { ChatRef } from '../model.ts';
import { Backfiller, OVERLAP_MS } from './backfill.ts';
import { backoffDelay } from './backoff.ts';
import { ChatRecovery } from './chat-recovery.ts';
import { ClockWatch } from './clock-watch.ts';
import type { PushFrame } from './frames.ts';
import { Listeners } from './listeners.ts';
import { MessageMemory } from './message-memory.ts';
import { PushChannel, type PushStatus } from './push-channel.ts';
import { PushEventMapper } from './push-events.ts';
import { Poller, type TickResult } from './poller.ts';
import { RosterBook } from './roster-book.ts';
import { SenderDirectory } from './senders.ts';
import { TopicStates } from './topic-states.ts';
import { planTopics, sameTopics, type TopicPlan } from './topics.ts';
import {
  defaultTimings,
  type CursorSource,
  type ResyncReason,
  type WatchBatch,
  type WatcherEvents,
  type WatcherTimings,
  type WatchState,
  type WebSocketCtor,
} from './types.ts';

export interface WatcherDeps {
  api: ChatApi;
  me: { id: string; jid: string };
  cursors: CursorSource;
  /** Hosts a channel's connectUri may point at (e.g. `streaming.mypurecloud.com`). */
  allowedSocketHosts: string[];
  log?(message: string): void;
  /** Wall clock (default Date.now). */
  now?(): number;
  /** Monotonic clock for the sleep detector (default performance.now). */
  monotonic?(): number;
  random?(): number;
  /** Default: Node's global WebSocket. */
  WebSocketImpl?: WebSocketCtor;
  timings?: Partial<WatcherTimings>;
  /** Where wire surprises are counted (one per engine; default: the watcher's own). */
  wireStats?: WireStats;
}

/** Push events held while a gap is being backfilled, at most (the oldest go first; backfill has them). */
const MAX_HELD = 2_000;
/** An unknown jid in a badge triggers a roster read at most this often. */
const UNKNOWN_JID_PAUSE_MS = 60_000;

type Source = 'backfill' | 'poll';

export class Watcher {
  private readonly d: WatcherDeps;
  private readonly t: WatcherTimings;
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
  private channelsOpened = 0;
  private lastUpAt: number | null = null;
  private readonly systemNotices: Record<string, number> = {};

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
  private push: PushChannel | null = null;
  private pushStatus: 'connecting' | 'up' | 'offline' = 'connecting';
  private poller: Poller | null = null;
  private pushRetryTimer: ReturnType<typeof setTimeout> | null = null;
  private restOffline = false;

  /**
   * Gap bookkeeping. Every push loss, reconnect and resync starts a new epoch; each pushed event is
   * tagged with the epoch it arrived in. A sync covers the epoch it started in. An event of an epoch
   * no completed sync covers is held (in order) until one does, so the engine always gets a chat's
   * missed history before anything newer: its ledger needs messages in order per chat.
   */
  private epoch = 1;
  private coveredEpoch = 0;
  private held: { epoch: number; batch: WatchBatch }[] = [];
  private pushQueue: Promise<void> = Promise.resolve();

  private syncing = false;
  private syncAgain = false;
  private syncFull = false;
  private syncFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unknownJids = new Map<string, number>();

  constructor(deps: WatcherDeps) {
    this.d = deps;
    this.t = { ...defaultTimings, ...deps.timings };
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    const log = deps.log ?? (() => {});
    this.log = (message) => log(`watch: ${message}`);
    this.listeners = new Listeners<WatcherEvents>(this.log);
    this.wire = deps.wireStats ?? new WireStats({ log: this.log });
    this.recovery = new ChatRecovery({
      delayMs: this.t.surpriseReadMs,
      gap: () => this.epoch++,
      read: (chat) => {
        // In a sync, whatever the roster says: the sync releases the events held since the gap.
        this.log(`push: reading ${chat.kind} ${chat.id} over REST after an unreadable event`);
        this.backfiller.readNextSync(chat);
        this.requestSync();
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
    this.clock = new ClockWatch({
      checkMs: this.t.clockCheckMs,
      jumpMs: this.t.clockJumpMs,
      onJump: (detail) => {
        this.log(`clock jump: ${detail}`);
        this.resync('clock-jump');
      },
      now: this.now,
      ...(deps.monotonic ? { monotonic: deps.monotonic } : {}),
    });
  }

  get state(): WatchState {
    return this.current;
  }

  /** The id of the notification channel in use, if push is up (tests and logs; never in diagnostics). */
  get channelId(): string | undefined {
    return this.push?.channelId;
  }

  /** What the push side knows for the diagnostics report: topic states and channel history, no ids. */
  diagnostics(): WatchDiagnostics {
    return {
      topics: this.topicStates.diagnostics(this.plan.overflow),
      push: {
        channelsOpened: this.channelsOpened,
        lastUpAt: this.lastUpAt,
        systemNotices: { ...this.systemNotices },
        chatsRecovered: this.recovery.recovered,
      },
    };
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
    this.held = [];
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
      if (this.mode === 'push' && this.push?.up) this.push.probe();
      return;
    }
    this.log(`resync (${reason})`);
    this.epoch++;
    this.syncFailures = 0;
    this.clearRetry();
    if (this.mode === 'push') {
      if (this.push?.up) {
        this.push.probe();
        this.requestSync(reason === 'manual');
      } else this.push?.retryNow();
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
    this.syncFull = true;
    this.restOffline = false;
    this.syncFailures = 0;
    this.syncing = false;
    this.syncAgain = false;
    this.epoch++;
    this.startPush();
    this.clock.start();
    this.setState();
  }

  /** Stops every task of the current run (sockets, timers); data (roster, memory) stays. */
  private halt(): void {
    this.generation++;
    this.push?.stop();
    this.push = null;
    this.poller?.stop();
    this.poller = null;
    this.clock.stop();
    this.recovery.cancel();
    this.clearRetry();
    if (this.pushRetryTimer) clearTimeout(this.pushRetryTimer);
    this.pushRetryTimer = null;
    this.pushQueue = Promise.resolve();
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
    const generation = this.generation;
    this.push = new PushChannel({
      api: this.d.api,
      allowedSocketHosts: this.d.allowedSocketHosts,
      WebSocketImpl: this.d.WebSocketImpl ?? (globalThis.WebSocket as unknown as WebSocketCtor),
      timings: this.t,
      topics: () => this.plan.topics,
      onFrame: (frame) => {
        if (generation === this.generation) this.onFrame(frame);
      },
      onStatus: (status) => {
        if (generation === this.generation) this.onPushStatus(status);
      },
      onTopics: (wanted, listing) => {
        if (generation === this.generation) this.onTopics(wanted, listing);
      },
      log: this.log,
      now: this.now,
      random: this.random,
    });
    if (this.plan.topics.length === 0) this.replan();
    this.push.start();
  }

  private replan(): void {
    this.plan = planTopics(this.d.me.id, this.book.entries(), this.topicStates.rejected);
  }

  /**
   * A subscription answer: what it failed to say is counted; a newly Rejected room topic makes the
   * plan try the room's other spelling (its messages come by badge and backfill meanwhile).
   */
  private onTopics(wanted: string[], listing: TopicListing): void {
    for (const s of listing.surprises) this.wire.surprise(`push subscription answer: ${s.what}`, s.value);
    const { newlyRejected, missing } = this.topicStates.note(wanted, listing);
    if (missing > 0)
      this.wire.surprise('push subscription answer: a requested topic not listed', { missing });
    if (!newlyRejected) return;
    this.replan();
    if (!sameTopics(this.plan.topics, wanted)) this.push?.syncTopics().catch(() => {});
  }

  private onPushStatus(status: PushStatus): void {
    switch (status.type) {
      case 'up':
        this.channelsOpened++;
        this.lastUpAt = this.now();
        this.pushStatus = 'up';
        this.restOffline = false;
        this.epoch++;
        if (this.mode === 'poll') {
          this.log('push is back: polling stops');
          this.mode = 'push';
          this.poller?.stop();
          this.poller = null;
          if (this.pushRetryTimer) clearTimeout(this.pushRetryTimer);
          this.pushRetryTimer = null;
        }
        this.requestSync();
        break;
      case 'down':
        this.pushStatus = 'connecting';
        this.epoch++;
        break;
      case 'resubscribed':
        // Whatever came between the loss and now was not pushed: events from here on wait until a
        // sync that started after this point has read it.
        this.epoch++;
        this.requestSync();
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

  private onFrame(frame: PushFrame): void {
    const epoch = this.epoch;
    switch (frame.kind) {
      case 'alive':
      case 'gone':
      case 'closing':
        return;
      case 'system':
        this.systemNotices[frame.notice] = (this.systemNotices[frame.notice] ?? 0) + 1;
        if (frame.notice !== 'other') {
          // Events may have been lost between the notice and the new subscription: a gap.
          this.epoch++;
          this.requestSync();
        }
        return;
      case 'bad': {
        this.wire.surprise(frame.surprise.kind, frame.surprise.value);
        this.log(`push: ignored a frame: ${frame.surprise.kind}`);
        const chat = frame.chatTopic ? this.plan.chats.get(frame.chatTopic) : undefined;
        if (frame.chatTopic && chat) this.recovery.surprise(frame.chatTopic, chat);
        return;
      }
      case 'badge':
        this.onBadge(frame.jid, frame.unreadCount);
        return;
      case 'chat': {
        const generation = this.generation;
        // One at a time, in arrival order: a sender look-up must not let a later event overtake.
        this.pushQueue = this.pushQueue.then(async () => {
          if (generation !== this.generation) return;
          const chat = this.plan.chats.get(frame.topic);
          if (!chat) {
            this.log('push: event on a topic no longer watched');
            return;
          }
          this.recovery.readable(frame.topic);
          try {
            const mapped = await this.mapper.map(chat, frame.body);
            if (generation !== this.generation) return;
            if (mapped.ok) this.deliver({ source: 'push', chat, events: [mapped.event] }, epoch);
            else if (mapped.why === 'unknown-sender' && frame.body.actionType === 'Create')
              this.backfillChat(chat);
          } catch (err) {
            if (generation !== this.generation) return;
            this.restError(err, 'reading who sent a pushed message');
            // The message itself is in the history, with its sender: read it from there.
            if (frame.body.actionType === 'Create') this.backfillChat(chat);
          }
        });
        return;
      }
    }
  }

  /**
   * A chat has unread messages. 1on1s have no message topic: read the chat. Subscribed rooms need
   * nothing (their topic brought the message); a room left out of the subscription (Rejected,
   * unconfirmed, over the cap) or whose events could not be read lately is read like a 1on1. An
   * unknown jid is a new chat: read the roster. A 1on1's badge may name the user's own jid rather
   * than the other side's (unconfirmed): then which 1on1 is unknown, and the roster diff finds it.
   */
  private onBadge(jid: string, unreadCount: number | undefined): void {
    if (unreadCount === 0) return; // the user posted or read: nothing new to tell
    if (jid === this.d.me.jid) {
      this.requestSync();
      return;
    }
    const entry = this.book.byJid(jid);
    if (!entry) {
      const last = this.unknownJids.get(jid);
      if (last !== undefined && this.now() - last < UNKNOWN_JID_PAUSE_MS) return;
      if (this.unknownJids.size > 1000) this.unknownJids.clear();
      this.unknownJids.set(jid, this.now());
      this.log('badge for a chat not in the roster: reading the roster');
      this.requestSync();
      return;
    }
    if (entry.chat.kind === 'room') {
      const topic = this.plan.byChat.get(entry.chat.id);
      if (topic && this.push?.isSubscribed(topic) && !this.recovery.isSuspect(topic)) return;
    }
    this.backfillChat(entry.chat);
  }

  /** Reads one chat now (outside a sync); a failure leaves it to the next sync. */
  private backfillChat(chat: ChatRef): void {
    const generation = this.generation;
    const from = (this.syncedAt ?? this.sessionStart) - OVERLAP_MS;
    this.backfiller.chat(chat, this.mode === 'poll' ? 'poll' : 'backfill', from).catch((err: unknown) => {
      if (generation !== this.generation) return;
      this.restError(err, `reading ${chat.kind} ${chat.id}`);
      if (!this.signedOut) this.scheduleRetry();
    });
  }

  private deliver(batch: WatchBatch, epoch: number): void {
    if (this.held.length === 0 && epoch <= this.coveredEpoch) {
      this.listeners.emit('batch', batch);
      return;
    }
    this.held.push({ epoch, batch });
    if (this.held.length > MAX_HELD) {
      this.held.shift();
      this.log('push: too many events held during a gap; dropped the oldest (the backfill has it)');
    }
  }

  private releaseHeld(): void {
    while (this.held.length > 0 && this.held[0]!.epoch <= this.coveredEpoch) {
      const { batch } = this.held.shift()!;
      this.listeners.emit('batch', batch);
    }
  }

  // ---- polling ------------------------------------------------------------------------------

  private startPolling(reason: string): void {
    this.log(`polling instead of push: ${reason}`);
    this.mode = 'poll';
    this.push?.stop();
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
      if (!this.running || this.signedOut || this.mode !== 'poll' || !this.push) return;
      this.log('trying push again');
      this.push.start();
    }, delay);
    this.pushRetryTimer.unref();
  }

  // ---- syncing ------------------------------------------------------------------------------

  /** A backfill after a gap; coalesced with one already running. While polling, a poll now. */
  private requestSync(full = false): void {
    if (!this.running || this.signedOut) return;
    if (this.mode === 'poll') {
      this.poller?.kick();
      return;
    }
    this.syncFull ||= full;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.clearRetry();
    this.syncing = true;
    const generation = this.generation;
    void this.sync('backfill').then((result) => {
      if (generation !== this.generation) return;
      this.syncing = false;
      if (!result.ok && !this.signedOut) this.scheduleRetry();
      else if (this.syncAgain) {
        this.syncAgain = false;
        this.requestSync();
      }
    });
  }

  /** One sync: roster (diff or full), topics, then every changed chat's history. Never throws. */
  private async sync(source: Source): Promise<TickResult> {
    const generation = this.generation;
    const startEpoch = this.epoch;
    const last = this.book.lastFullRead;
    const full = this.syncFull || last === undefined || this.now() - last >= this.t.rosterFullMs;
    this.syncFull = false;
    try {
      const result = await this.backfiller.sync({
        source,
        full,
        newChatsFrom: this.syncedAt === undefined ? undefined : this.syncedAt - OVERLAP_MS,
        afterRoster: async (changed) => {
          if (generation !== this.generation) throw new Error('the watcher stopped');
          if (changed || !this.rosterPublished) this.publishRoster();
          this.replan();
          if (this.mode === 'push') await this.push?.syncTopics();
        },
      });
      if (generation !== this.generation) return { ok: false };
      this.syncedAt = result.startedAt;
      this.syncFailures = 0;
      this.restOffline = false;
      this.coveredEpoch = Math.max(this.coveredEpoch, startEpoch);
      this.releaseHeld();
      this.setState();
      this.listeners.emit('synced', result.startedAt);
      return { ok: true, messages: result.messages };
    } catch (err) {
      if (generation !== this.generation) return { ok: false };
      this.syncFull ||= full;
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

  private scheduleRetry(): void {
    if (this.retryTimer || this.mode === 'poll') return; // the poller retries on its own
    this.syncFailures++;
    const delay = backoffDelay(
      this.syncFailures,
      { minMs: this.t.reconnectMinMs, maxMs: this.t.reconnectMaxMs },
      this.random,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.requestSync();
    }, delay);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
