// The watching engine, composed: the session, the Genesys client, the watcher, the ledger and rules,
// the held queue, the inbox and the outbox, with their state persisted in the store. Imports nothing
// from Electron; the shell and the headless runner drive it the same way.
import { RequestBudget } from '../genesys/budget.ts';
import { ChatApi, type Me } from '../genesys/chat-api.ts';
import type { Environment } from '../genesys/environment.ts';
import { GenesysError, GenesysHttp } from '../genesys/http.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import type { AppStore } from '../store/store.ts';
import { appRulesFromPrefs, EngineStateSchema, type Prefs } from '../store/schema.ts';
import { HeldQueue } from './digest.ts';
import { initialSnapshot, StateHub, type EngineSnapshot, type OutboxView } from './engine-state.ts';
import { Inbox } from './inbox.ts';
import { Ledger } from './ledger.ts';
import type { AppRules, ChatRef, ServerSettings } from './model.ts';
import { digestNotification, type NotificationOut, type Notifier } from './notification.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { OutboxAction, OutboxItem } from './outbox/schema.ts';
import type { NetworkPort, SessionPort } from './ports.ts';
import type { Watcher } from './watch/watcher.ts';
import type { ResyncReason, RosterInfo, WatchBatch } from './watch/types.ts';
import { processBatch } from './process-batch.ts';
import { activeHold, hostClock, type LocalClock } from './rules.ts';
import { backoffDelay } from './watch/backoff.ts';

export interface EngineOptions {
  env: Environment;
  demo: boolean;
  session: SessionPort;
  store: AppStore;
  notifier: Notifier;
  /** Where connections go (proxies, certificates); absent: Node's fetch. */
  network?: NetworkPort;
  createWatcher(api: ChatApi, me: Me, ledger: Ledger): Watcher;
  createOutbox(
    api: () => ChatApi,
    me: Me,
    storage: { load(): unknown; save(items: OutboxItem[]): void },
  ): Outbox;
  log?: (message: string) => void;
  now?: () => number;
  localTime?: LocalClock;
  /** Requests per minute for the whole engine, and the part kept for the user's own actions. */
  budget?: { perMinute: number; userReserve: number };
  /** How often to check whether quiet hours or do-not-disturb ended. */
  holdCheckMs?: number;
  saveDebounceMs?: number;
}

const REACTION_KEYS_LIMIT = 2000;
/** How long a catch-up's decisions may wait to be saved and shown together. */
const FLUSH_MS = 2_000;

export class Engine {
  readonly state: StateHub;
  private readonly o: EngineOptions;
  private readonly now: () => number;
  private readonly budget: RequestBudget;
  private api: ChatApi | null = null;
  private me: Me | null = null;
  private watcher: Watcher | null = null;
  private outbox: Outbox | null = null;
  private ledger = new Ledger();
  private held = new HeldQueue();
  private inbox = new Inbox();
  private readonly reactionsSeen = new Set<string>();
  private roster = new Map<string, RosterEntry>();
  private server: ServerSettings | null = null;
  private syncedAt: number | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private holdTimer: ReturnType<typeof setInterval> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Connecting failed for a passing reason (no network, a 5xx): the next try. */
  private connectRetry: ReturnType<typeof setTimeout> | null = null;
  private connectFailures = 0;
  private connecting: Promise<void> = Promise.resolve();
  /** The OS's own do-not-disturb: holds notifications like the app's own. */
  private systemDnd = false;
  /** Decisions of catch-up batches not yet saved and shown (see flush). */
  private unflushed: { show: NotificationOut[]; withdraw: string[]; dirty: boolean } = {
    show: [],
    withdraw: [],
    dirty: false,
  };
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly activity = new Set<(chatId: string) => void>();
  private readonly unsubscribeNetwork: () => void;

  constructor(opts: EngineOptions) {
    this.o = opts;
    this.now = opts.now ?? Date.now;
    this.budget = new RequestBudget(opts.budget ?? { perMinute: 200, userReserve: 40 });
    this.state = new StateHub(initialSnapshot(opts.demo, opts.env.id));
    opts.session.onState((s) => {
      if (s === 'needs-sign-in') this.onNeedsSignIn();
    });
    const network = opts.network;
    const showProxySignIn = (): void => this.state.update({ proxySignIn: network?.proxySignIn ?? undefined });
    if (network?.proxySignIn) showProxySignIn();
    this.unsubscribeNetwork = network?.onChange(showProxySignIn) ?? (() => {});
  }

  private log(message: string): void {
    this.o.log?.(message);
  }

  /** Restores the session and, when signed in, starts watching. */
  async start(): Promise<void> {
    const s = await this.o.session.restore();
    if (s === 'signed-in') await this.connect();
    else this.state.update({ connection: s === 'needs-sign-in' ? 'needs-sign-in' : 'signed-out' });
  }

  async signIn(signal?: AbortSignal): Promise<void> {
    this.state.update({ connection: 'signing-in', notice: undefined });
    try {
      await this.o.session.signIn(signal);
    } catch (err) {
      this.state.update({ connection: 'signed-out', notice: errText(err) });
      throw err;
    }
    await this.connect();
  }

  async signOut(): Promise<void> {
    const api = this.api;
    await this.disconnect();
    // The session forgets the tokens first (signing out never waits on the network), then the
    // one it held is revoked with that token itself.
    await this.o.session.signOut(api ? (token) => api.revokeToken(token) : undefined);
    this.state.update({ connection: 'signed-out', account: null });
  }

  /** Stops everything and writes what must survive (the outbox is flushed first). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeNetwork();
    await this.disconnect();
    if (this.holdTimer) clearInterval(this.holdTimer);
    this.holdTimer = null;
  }

  /** After sleep, unlock, or coming back online: catch up over REST. */
  resync(reason: ResyncReason): void {
    if (this.connectRetry && reason !== 'network-lost') {
      // Not connected (the last try failed): try now rather than at the end of the backoff.
      this.clearConnectRetry();
      this.connect().catch(() => {});
      return;
    }
    this.watcher?.resync(reason);
    if (reason === 'network-lost') return;
    this.outbox?.kick();
    if (reason === 'resume' || reason === 'manual') void this.loadSettings();
  }

  // ---- the user's actions -------------------------------------------------------------------

  async act(action: OutboxAction): Promise<OutboxView> {
    if (!this.outbox) throw new Error('Not signed in.');
    return toView(await this.outbox.enqueue(action));
  }

  retryAction(id: string): Promise<boolean> {
    return this.outbox?.retry(id) ?? Promise.resolve(false);
  }

  discardAction(id: string): Promise<boolean> {
    return this.outbox?.discard(id) ?? Promise.resolve(false);
  }

  /** Resolves when the action has been sent or has failed (for the headless runner and tests). */
  async settled(id: string): Promise<OutboxView | undefined> {
    const item = await this.outbox?.settled(id);
    return item ? toView(item) : undefined;
  }

  /** The chat a message belongs to, from the roster (reading the message when needed). */
  async chatOfMessage(messageId: string): Promise<ChatRef> {
    if (!this.api || !this.me) throw new Error('Not signed in.');
    const where = await this.api.messageLocation(messageId);
    for (const entry of this.roster.values()) {
      const c = entry.chat;
      if (c.kind === 'room' && c.jid === where.toJid) return c;
      if (
        c.kind === 'oneOnOne' &&
        (c.id === where.toUserId || c.id === where.senderId) &&
        c.id !== this.me.id
      )
        return c;
    }
    throw new Error('That message is not in any of your chats.');
  }

  markRead(chatId: string): void {
    const ids = this.inbox.markChatRead(chatId);
    for (const p of this.ledger.markChatRead(chatId)) if (!ids.includes(p.messageId)) ids.push(p.messageId);
    if (ids.length) this.o.notifier.withdraw(ids);
    this.publishInbox();
    this.scheduleSave();
  }

  markAllRead(): void {
    const ids = this.inbox.markAllRead();
    if (ids.length) this.o.notifier.withdraw(ids);
    this.publishInbox();
    this.scheduleSave();
  }

  /** Optimistic: the UI shows the new value at once; a failed write rolls back with an error. */
  async updateServerSettings(change: Partial<ServerSettings>): Promise<ServerSettings> {
    if (!this.api || !this.server) throw new Error('Not signed in.');
    const before = this.server;
    const next = { ...before, ...change };
    this.server = next;
    this.state.update({ settings: { value: next, sync: 'saving' } });
    try {
      const saved = await this.api.updateSettings(next);
      this.server = saved;
      this.state.update({ settings: { value: saved, sync: 'idle' } });
      return saved;
    } catch (err) {
      this.server = before;
      const error = `Your chat settings were not saved: ${errText(err)}`;
      this.state.update({ settings: { value: before, sync: 'error', error } });
      throw new Error(error, { cause: err });
    }
  }

  prefs(): Prefs {
    return this.o.store.get('prefs');
  }

  updatePrefs(change: Partial<Prefs>): Prefs {
    const next = this.o.store.update('prefs', (p) => ({ ...p, ...change }));
    void this.inQueue(() => this.checkHold());
    return next;
  }

  chat(chatId: string): ChatRef | undefined {
    return this.roster.get(chatId)?.chat;
  }

  chats(): RosterEntry[] {
    return [...this.roster.values()];
  }

  get client(): ChatApi | null {
    return this.api;
  }

  get user(): Me | null {
    return this.me;
  }

  /** Hears the id of every chat in which something happened (messages, edits, reactions, deletes). */
  onActivity(listener: (chatId: string) => void): () => void {
    this.activity.add(listener);
    return () => this.activity.delete(listener);
  }

  /** Resolves when every batch received so far has been processed (for tests and a clean quit). */
  idle(): Promise<void> {
    return this.queue;
  }

  // ---- connecting -----------------------------------------------------------------------------

  /** One at a time: a sign-in, a retry and a resync may all ask. */
  private connect(): Promise<void> {
    const run = this.connecting.then(() => this.connectNow());
    this.connecting = run.catch(() => {});
    return run;
  }

  private async connectNow(): Promise<void> {
    this.clearConnectRetry();
    // Signing in again while the previous watcher still runs (a revoked session is often noticed
    // first by the outbox or a settings read, while the watcher is between reconnects): stop it, or
    // it reconnects with the new tokens and two watchers hold two channels, even after stop().
    const previous = this.watcher;
    this.watcher = null;
    previous?.stop();
    // What it decided is saved and shown before the state is read back from the store below.
    if (previous) await this.enqueueFlush();
    this.state.update({ connection: 'connecting', notice: undefined });
    const http = new GenesysHttp({
      apiBase: this.o.env.apiBase,
      tokens: this.o.session,
      budget: this.budget,
      log: (m) => this.log(m),
      ...(this.o.network ? { fetch: this.o.network.fetch } : {}),
    });
    const api = new ChatApi(http);
    let me: Me;
    try {
      me = await api.me();
    } catch (err) {
      const needsSignIn = err instanceof GenesysError && err.kind === 'needs-sign-in';
      this.state.update({ connection: needsSignIn ? 'needs-sign-in' : 'offline', notice: errText(err) });
      // Nothing else would ever try again: the watcher only exists once connected.
      if (err instanceof GenesysError && err.retryable && !this.stopped) this.scheduleConnectRetry();
      throw err;
    }
    if (this.stopped) return;
    this.connectFailures = 0;
    this.api = api;
    this.me = me;
    if (this.loadState(me) === 'new-owner' && this.outbox) {
      // Another account: what the previous one queued must never be sent as this one.
      await this.outbox.stop();
      this.outbox = null;
    }
    this.state.update({ account: { userId: me.id, name: me.name } });
    void this.loadSettings();

    let outbox = this.outbox;
    if (!outbox) {
      const created = this.o.createOutbox(
        () => {
          if (!this.api) throw new Error('Not signed in.');
          return this.api;
        },
        me,
        {
          load: () => this.o.store.get('engine').outbox,
          save: (items) => {
            this.o.store.update('engine', (e) => ({ ...e, outbox: items }));
          },
        },
      );
      for (const problem of created.problems) this.log(`outbox: ${problem}`);
      created.onChange((view) => this.state.update({ outbox: view.items.map(toView) }));
      created.start();
      outbox = this.outbox = created;
    } else {
      outbox.resume();
    }
    this.state.update({ outbox: outbox.items().map(toView) });

    const watcher = this.o.createWatcher(api, me, this.ledger);
    this.watcher = watcher;
    watcher.on('state', (s) => {
      // Offline, the banner says why when the network knows (a proxy, a certificate).
      const why = s === 'offline' ? this.o.network?.lastProblem : null;
      this.state.update({ connection: s, ...(why ? { notice: why } : {}) });
    });
    watcher.on('roster', (entries, info) => this.onRoster(entries, info));
    watcher.on('synced', (at) => {
      void this.enqueueFlush(); // the catch-up is complete: out with what it found
      this.syncedAt = at;
      if (this.state.get().lastSyncAt === null) this.state.update({ lastSyncAt: at });
      else this.throttledSyncState(at);
      this.scheduleSave();
    });
    watcher.on('batch', (batch) => void this.enqueueBatch(batch));
    watcher.start(this.syncedAt !== null ? { syncedAt: this.syncedAt } : {});

    this.holdTimer ??= setInterval(
      () => void this.inQueue(() => this.checkHold()),
      this.o.holdCheckMs ?? 60_000,
    );
    this.holdTimer.unref?.();
  }

  /** Genesys could not be reached while connecting: try again, backing off as the watcher does. */
  private scheduleConnectRetry(): void {
    this.connectFailures++;
    const delay = backoffDelay(this.connectFailures, { minMs: 1_000, maxMs: 60_000 });
    this.log(`engine: could not connect; trying again in ${delay} ms`);
    this.connectRetry = setTimeout(() => {
      this.connectRetry = null;
      this.connect().catch(() => {}); // a failure schedules the next try
    }, delay);
    this.connectRetry.unref?.();
  }

  private clearConnectRetry(): void {
    if (this.connectRetry) clearTimeout(this.connectRetry);
    this.connectRetry = null;
  }

  private async disconnect(): Promise<void> {
    this.clearConnectRetry();
    const watcher = this.watcher;
    this.watcher = null;
    watcher?.stop();
    await this.enqueueFlush();
    const outbox = this.outbox;
    this.outbox = null;
    await outbox?.stop();
    this.saveNow();
  }

  /** Polling reports a sync every few seconds: tell the UI at most every 30 s. */
  private throttledSyncState(at: number): void {
    const shown = this.state.get().lastSyncAt ?? 0;
    if (at - shown >= 30_000) this.state.update({ lastSyncAt: at });
  }

  private onNeedsSignIn(): void {
    this.outbox?.pause('Sign in again to send.');
    this.state.update({ connection: 'needs-sign-in' });
  }

  private async loadSettings(): Promise<void> {
    if (!this.api) return;
    this.state.update({ settings: { value: this.server, sync: 'loading' } });
    try {
      this.server = await this.api.settings();
      this.state.update({ settings: { value: this.server, sync: 'idle' } });
    } catch (err) {
      this.state.update({ settings: { value: this.server, sync: 'error', error: errText(err) } });
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  private onRoster(entries: RosterEntry[], info: RosterInfo): void {
    this.roster = new Map(entries.map((e) => [e.chat.id, e]));
    // Until a first sync completes, history is history: only what arrives from now on notifies.
    if (info.seed) for (const e of entries) this.ledger.seedCursor(e.chat.id, e.lastMessageAt ?? this.now());
    this.scheduleSave();
  }

  private enqueueBatch(batch: WatchBatch): Promise<void> {
    // Batches are processed one at a time, in arrival order: the ledger sees each chat in order.
    const run = this.queue.then(() => this.handleBatch(batch));
    this.queue = run.catch((err) => this.log(`engine: a batch failed: ${errText(err)}`));
    return this.queue;
  }

  private async handleBatch(batch: WatchBatch): Promise<void> {
    if (this.stopped || !this.me) return;
    const chat = this.roster.get(batch.chat.id)?.chat ?? batch.chat;
    const me = this.me;
    const toShow: NotificationOut[] = [];
    const toWithdraw: string[] = [];
    const result = await processBatch(chat, batch.events, {
      ledger: this.ledger,
      held: this.held,
      inbox: this.inbox,
      reactionsSeen: this.reactionsSeen,
      context: () => ({
        me: { id: me.id, jid: me.jid },
        server: this.server ?? { muted: false, mentionsOnly: false, notifyOnReactions: true },
        app: this.appRules(),
        now: this.now(),
        localTime: this.o.localTime ?? hostClock,
      }),
      senderName: (id) => (this.api ? this.api.userName(id) : Promise.resolve('')),
      show: (n) => toShow.push(n),
      withdraw: (ids) => toWithdraw.push(...ids),
    });
    while (this.reactionsSeen.size > REACTION_KEYS_LIMIT) {
      const first = this.reactionsSeen.values().next().value;
      if (first === undefined) break;
      this.reactionsSeen.delete(first);
    }
    for (const l of this.activity) {
      try {
        l(chat.id);
      } catch (err) {
        this.log(`engine: an activity listener failed: ${errText(err)}`);
      }
    }
    const out = this.unflushed;
    out.show.push(...toShow);
    out.withdraw.push(...toWithdraw);
    if (toShow.length || toWithdraw.length || result.held) out.dirty = true;
    // A sync (a catch-up, a poll tick) delivers one batch per chat: their decisions reach the disk
    // and the user together when the sync ends ('synced'), or at the latest FLUSH_MS after the
    // first, instead of one full save per chat. Anything else (a pushed event, a 1on1 read on its
    // badge) goes out at once, with whatever is still waiting.
    if (batch.inSync) this.scheduleFlush();
    else this.flush();
  }

  /**
   * Write-ahead, then tell: the ledger and the inbox reach the disk before the user is told, so a
   * crash can never make a notification repeat; one lost in the instant between is still in the
   * inbox. Decisions not yet flushed are only in memory: after a crash they are fetched and decided
   * again, never shown twice.
   */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const out = this.unflushed;
    this.unflushed = { show: [], withdraw: [], dirty: false };
    if (!out.dirty) {
      this.scheduleSave();
      return;
    }
    this.saveNow();
    if (out.withdraw.length) this.o.notifier.withdraw(out.withdraw);
    for (const n of out.show) this.o.notifier.show(n);
    this.publishInbox();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.enqueueFlush();
    }, FLUSH_MS);
    this.flushTimer.unref?.();
  }

  /** A flush in the batch queue's order (after every batch received so far). */
  private enqueueFlush(): Promise<void> {
    return this.inQueue(() => this.flush());
  }

  /** Runs `work` after every batch received so far (and before any received later). */
  private inQueue(work: () => void): Promise<void> {
    this.queue = this.queue.then(work).catch((err: unknown) => this.log(`engine: ${errText(err)}`));
    return this.queue;
  }

  /**
   * The OS's do-not-disturb turned on or off. While on, notifications are held like under the app's
   * own do-not-disturb; when it ends they come out as one summary per chat, none lost.
   */
  setSystemDoNotDisturb(on: boolean): void {
    if (on === this.systemDnd) return;
    this.systemDnd = on;
    this.log(`system do-not-disturb ${on ? 'on' : 'off'}`);
    if (!on) void this.inQueue(() => this.checkHold());
  }

  private appRules(): AppRules {
    const rules = appRulesFromPrefs(this.o.store.get('prefs'), this.now());
    return this.systemDnd ? { ...rules, dnd: true } : rules;
  }

  /** When quiet hours or do-not-disturb end, what they held becomes one summary per chat. */
  private checkHold(): void {
    if (this.held.size === 0) {
      this.state.update({ held: 0 });
      return;
    }
    const hold = activeHold(this.appRules(), this.now(), this.o.localTime ?? hostClock);
    if (hold) {
      this.state.update({ held: this.held.size });
      return;
    }
    const released = this.held.release();
    this.saveNow();
    for (const summary of released) {
      const chat = this.roster.get(summary.chatId)?.chat ?? {
        id: summary.chatId,
        kind: 'room' as const,
        jid: summary.chatId,
        name: 'Chat',
      };
      const n: NotificationOut = digestNotification(summary, chat, 'held');
      this.o.notifier.show(n);
    }
    this.state.update({ held: 0 });
    this.scheduleSave();
  }

  private publishInbox(): void {
    this.state.update({
      inbox: this.inbox.chats(),
      unread: this.inbox.unread,
      unreadForMe: this.inbox.hasUnreadMention(),
      held: this.held.size,
    });
  }

  // ---- persistence ----------------------------------------------------------------------------

  private loadState(me: Me): 'same-owner' | 'new-owner' {
    const engine = this.o.store.get('engine');
    const owner = { userId: me.id, environment: this.o.env.id };
    if (
      !engine.owner ||
      engine.owner.userId !== owner.userId ||
      engine.owner.environment !== owner.environment
    ) {
      if (engine.owner) this.log('engine: a different account signed in; starting its state fresh');
      this.o.store.update('engine', () => ({ ...EngineStateSchema.parse({}), owner }));
      this.ledger = new Ledger();
      this.held = new HeldQueue();
      this.inbox = new Inbox();
      this.syncedAt = null;
      this.publishInbox();
      return 'new-owner';
    }
    const loadedLedger = Ledger.fromJSON(
      engine.ledger ?? { version: 1, cursors: {}, seen: [], notified: [], pending: [] },
    );
    if (loadedLedger.issue && engine.ledger) this.log(`engine: ${loadedLedger.issue}`);
    this.ledger = loadedLedger.ledger;
    const loadedHeld = HeldQueue.fromJSON(engine.held ?? { version: 1, items: [] });
    if (loadedHeld.issue && engine.held) this.log(`engine: ${loadedHeld.issue}`);
    this.held = loadedHeld.queue;
    this.inbox = Inbox.fromJSON(engine.inbox, (m) => this.log(m));
    this.syncedAt = engine.syncedAt;
    this.roster = new Map(
      engine.roster.map((r) => [
        r.id,
        {
          chat: { id: r.id, kind: r.kind, jid: r.jid, name: r.name },
          open: true,
          ...(r.dateLastMessage !== undefined ? { lastMessageAt: r.dateLastMessage } : {}),
        },
      ]),
    );
    this.publishInbox();
    return 'same-owner';
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      // In the batch queue, so a save never lands between a batch's ledger marks and its
      // notifications; with decisions waiting, the save is their flush (saved, then shown).
      void this.inQueue(() => (this.unflushed.dirty ? this.flush() : this.saveNow()));
    }, this.o.saveDebounceMs ?? 250);
    this.saveTimer.unref?.();
  }

  private saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.me) return;
    try {
      this.o.store.patch('engine', {
        ledger: this.ledger.toJSON(),
        held: this.held.toJSON(),
        inbox: this.inbox.toJSON(),
        syncedAt: this.syncedAt,
        roster: [...this.roster.values()].map((r) => ({
          id: r.chat.id,
          kind: r.chat.kind,
          jid: r.chat.jid,
          name: r.chat.name,
          ...(r.lastMessageAt !== undefined ? { dateLastMessage: r.lastMessageAt } : {}),
        })),
      });
    } catch (err) {
      this.log(`engine: could not save its state: ${errText(err)}`);
    }
  }
}

export type { EngineSnapshot };

function toView(item: OutboxItem): OutboxView {
  const a = item.action;
  return {
    id: item.id,
    kind: a.kind,
    chatId: a.chat.id,
    state: item.state,
    createdAt: item.createdAt,
    ...(a.kind === 'reply' || a.kind === 'edit' ? { text: a.text } : {}),
    ...(item.lastError && item.state !== 'sent' ? { error: item.lastError.message } : {}),
    ...(item.result?.messageId
      ? { messageId: item.result.messageId }
      : a.kind !== 'reply'
        ? { messageId: a.messageId }
        : {}),
  };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
