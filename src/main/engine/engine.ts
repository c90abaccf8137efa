// The watching engine, composed: the session, the Genesys client, the watcher, the ledger and rules,
// the held queue, the inbox and the outbox, with their state persisted in the store. Imports nothing
// from Electron; the shell and the headless runner drive it the same way.
import { RequestBudget } from '../genesys/budget.ts';
import { ChatApi, type Me } from '../genesys/chat-api.ts';
import type { Environment } from '../genesys/environment.ts';
import { GenesysError, GenesysHttp } from '../genesys/http.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import { WireStats } from '../genesys/wire-stats.ts';
import type { AppStore } from '../store/store.ts';
import { appRulesFromPrefs, EngineStateSchema, type EngineState, type Prefs } from '../store/schema.ts';
import { AutoSignIn } from './auto-sign-in.ts';
import { HeldQueue } from './digest.ts';
import {
  buildDiagnostics,
  ConnectionHistory,
  type DiagnosticsReport,
  type WatchDiagnostics,
} from './diagnostics.ts';
import { initialSnapshot, StateHub, type EngineSnapshot, type OutboxView } from './engine-state.ts';
import { Inbox } from './inbox.ts';
import { fillMissing, LastMessages, type LastMessage } from './last-messages.ts';
import { Ledger } from './ledger.ts';
import type { AppRules, ChatRef, ServerSettings } from './model.ts';
import { digestNotification, type NotificationOut, type Notifier } from './notification.ts';
import { SIGNED_OUT_REASON } from './outbox/failure.ts';
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
    userId: string,
    storage: { load(): unknown; save(items: OutboxItem[]): void },
  ): Outbox;
  /**
   * Sign in again by itself whenever the session ends or a sign-in fails (with backoff): for the
   * demo org and a local simulator, whose sign-in needs no person. Off by default.
   */
  autoSignIn?: boolean;
  log?: (message: string) => void;
  now?: () => number;
  localTime?: LocalClock;
  /** Requests per minute for the whole engine, and the part kept for the user's own actions. */
  budget?: { perMinute: number; userReserve: number };
  /** Where the Genesys client counts answers that fail validation (one per engine; compose.ts makes it). */
  wireStats?: WireStats;
  /** How often to check whether quiet hours or do-not-disturb ended. */
  holdCheckMs?: number;
  saveDebounceMs?: number;
  /** How long the first decisions of a connection wait for the settings read at most (default 5 s). */
  settingsWaitMs?: number;
}

const REACTION_KEYS_LIMIT = 2000;
/** How long the first decisions of a connection wait for the settings read at most. */
const SETTINGS_WAIT_MS = 5_000;
/** The outbox's pause reason until the engine is connected. */
const WAITING_REASON = 'Waiting for Genesys Cloud: what you send is kept and sent once connected.';
/** How long a catch-up's decisions may wait to be saved and shown together. */
const FLUSH_MS = 2_000;

export class Engine {
  readonly state: StateHub;
  private readonly o: EngineOptions;
  private readonly now: () => number;
  private readonly budget: RequestBudget;
  private api: ChatApi | null = null;
  private me: Me | null = null;
  /** Whose state (ledger, inbox, roster, outbox) is in memory: a known account, even before connecting. */
  private ownerId: string | null = null;
  /** When start() was called: a message created after it is never history, even on a first run. */
  private startedAt = 0;
  /** The settings read of the current connection: decisions wait for it (see handleBatch). */
  private settingsRead: Promise<void> = Promise.resolve();
  private readonly auto: AutoSignIn | null;
  /** The user signed out: nothing signs in again by itself. */
  private signedOutOnPurpose = false;
  private signingIn: Promise<void> | null = null;
  private watcher: Watcher | null = null;
  private outbox: Outbox | null = null;
  private ledger = new Ledger();
  private held = new HeldQueue();
  private inbox = new Inbox();
  private lastMessages = new LastMessages();
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
  readonly wireStats: WireStats;
  private readonly history = new ConnectionHistory();
  /** What the last watcher knew, once it is gone (signed out, stopped). */
  private lastWatch: WatchDiagnostics | null = null;
  private readonly unsubscribeNetwork: () => void;

  constructor(opts: EngineOptions) {
    this.o = opts;
    this.now = opts.now ?? Date.now;
    this.budget = new RequestBudget(opts.budget ?? { perMinute: 200, userReserve: 40 });
    this.wireStats = opts.wireStats ?? new WireStats({ log: (m) => this.log(m) });
    this.state = new StateHub(initialSnapshot(opts.demo, opts.env.id));
    this.history.note(this.state.get().connection, this.now());
    this.state.subscribe((s) => this.history.note(s.connection, this.now()));
    this.auto = opts.autoSignIn
      ? new AutoSignIn({
          signIn: () => this.signIn(),
          wanted: () => !this.stopped && !this.signedOutOnPurpose && this.o.session.state !== 'signed-in',
          log: (m) => this.log(m),
        })
      : null;
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

  /**
   * Takes up the account this store knows (its inbox, chats and outbox, so actions are queued while
   * connecting or offline), restores the session and, when signed in, starts watching. With
   * `autoSignIn`, signs in by itself when there is no session.
   */
  async start(): Promise<void> {
    this.startedAt = this.now();
    this.restoreKnownAccount();
    const s = await this.o.session.restore();
    if (s === 'signed-in') await this.connect();
    else if (s === 'needs-sign-in') this.onNeedsSignIn();
    else if (this.auto) await this.auto.now();
    else this.state.update({ connection: 'signed-out' });
  }

  /** Signs in in the browser, then connects. One at a time: a second call joins the one under way. */
  signIn(signal?: AbortSignal): Promise<void> {
    this.signingIn ??= this.signInNow(signal).finally(() => {
      this.signingIn = null;
    });
    return this.signingIn;
  }

  private async signInNow(signal?: AbortSignal): Promise<void> {
    this.signedOutOnPurpose = false;
    this.state.update({ connection: 'signing-in', notice: undefined });
    try {
      await this.o.session.signIn(signal);
    } catch (err) {
      // The session stays as it was (ended, or never there); the reason is for the user to read.
      const ended = this.o.session.state === 'needs-sign-in';
      this.state.update({ connection: ended ? 'needs-sign-in' : 'signed-out', notice: errText(err) });
      throw err;
    }
    await this.connect();
  }

  async signOut(): Promise<void> {
    this.signedOutOnPurpose = true;
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
    this.auto?.stop();
    this.unsubscribeNetwork();
    await this.disconnect();
    if (this.holdTimer) clearInterval(this.holdTimer);
    this.holdTimer = null;
  }

  /** After sleep, unlock, or coming back online: catch up over REST. */
  resync(reason: ResyncReason): void {
    const c = this.state.get().connection;
    // Nothing to catch up without a session: asking would only fail (the sign-in says it once).
    if (c === 'needs-sign-in' || c === 'signed-out' || c === 'signing-in') return;
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

  /**
   * Queues an action (saved before anything is sent). Refused only when no account is known (never
   * signed in, or signed out): while connecting, offline or waiting for a new sign-in it waits in
   * the outbox and is sent once connected.
   */
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
      // A 1on1 by the other user's id or, for a message without user ids, by its jid on either side.
      if (
        c.kind === 'oneOnOne' &&
        c.id !== this.me.id &&
        (c.id === where.toUserId ||
          c.id === where.senderId ||
          (c.jid !== '' && (c.jid === where.toJid || c.jid === where.senderJid)))
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
    // Only what differs is sent: a PATCH with every field would also reset what another client
    // changed meanwhile (and the user's mobile choice, were it included).
    const changed: Partial<ServerSettings> = {};
    for (const key of ['muted', 'mentionsOnly', 'notifyOnReactions'] as const) {
      const value = change[key];
      if (value !== undefined && value !== before[key]) changed[key] = value;
    }
    const next = { ...before, ...changed };
    this.server = next;
    this.state.update({ settings: { value: next, sync: 'saving' } });
    try {
      const saved = await this.api.updateSettings(changed, before);
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

  /** The newest message seen in a chat (for the chat list's preview), if any. */
  lastMessage(chatId: string): LastMessage | undefined {
    return this.lastMessages.get(chatId);
  }

  /**
   * Reads, in the background, the newest message of recent chats without a preview; each one
   * filled is told as activity in that chat (the chat list then shows it). One run at a time.
   */
  fillPreviews(): void {
    const api = this.api;
    if (this.fillingPreviews || !api) return;
    this.fillingPreviews = true;
    const last = this.lastMessages;
    fillMissing(last, [...this.roster.values()], api)
      .then((filled) => {
        if (filled.length === 0 || last !== this.lastMessages) return;
        this.scheduleSave();
        for (const chatId of filled) for (const l of this.activity) l(chatId);
      })
      .catch((err: unknown) => this.log(`engine: could not read chat previews: ${errText(err)}`))
      .finally(() => (this.fillingPreviews = false));
  }
  private fillingPreviews = false;

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

  /**
   * What a user can send us when notifications do not come: versions, the environment's host, the
   * connection's recent history, the topic states and every wire surprise with its shape. Holds no
   * token, message text, name or id (see diagnostics.ts).
   */
  diagnostics(about: { name: string; version: string }): DiagnosticsReport {
    const s = this.state.get();
    return buildDiagnostics({
      about,
      env: this.o.env,
      demo: this.o.demo,
      now: this.now(),
      state: s.connection,
      lastSyncAt: s.lastSyncAt,
      history: this.history.list(),
      watch: this.watcher?.diagnostics() ?? this.lastWatch,
      surprises: this.wireStats.snapshot(),
    });
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
    if (previous) this.lastWatch = previous.diagnostics();
    previous?.stop();
    // What it decided is saved and shown before the state is read back from the store below.
    if (previous) await this.enqueueFlush();
    this.state.update({ connection: 'connecting', notice: undefined });
    const http = new GenesysHttp({
      apiBase: this.o.env.apiBase,
      tokens: this.o.session,
      budget: this.budget,
      log: (m) => this.log(m),
      wireStats: this.wireStats,
      ...(this.o.network ? { fetch: this.o.network.fetch } : {}),
    });
    const api = new ChatApi(http);
    let me: Me;
    try {
      me = await api.me();
    } catch (err) {
      if (err instanceof GenesysError && err.kind === 'needs-sign-in') this.onNeedsSignIn();
      else this.state.update({ connection: 'offline', notice: errText(err) });
      // Nothing else would ever try again: the watcher only exists once connected.
      if (err instanceof GenesysError && err.retryable && !this.stopped) this.scheduleConnectRetry();
      throw err;
    }
    if (this.stopped) return;
    this.connectFailures = 0;
    if (this.ownerId !== me.id) {
      // Another account (or none known): what the previous one queued must never be sent as this
      // one. Its outbox stops (and saves) before the store is reset for the new owner.
      const previousOutbox = this.outbox;
      this.outbox = null;
      await previousOutbox?.stop();
      const waiting = previousOutbox?.items().filter((i) => i.state === 'queued').length ?? 0;
      if (waiting > 0) this.log(`engine: dropped ${waiting} unsent action(s) of the previous account`);
      this.loadState(me);
    }
    this.api = api;
    this.me = me;
    this.state.update({ account: { userId: me.id, name: me.name } });
    // Decisions wait for the user's settings (mentions only, muted...), read once per connection.
    this.settingsRead = this.loadSettings();

    const outbox = (this.outbox ??= this.openOutbox(me.id));
    outbox.resume();
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

  /** The outbox of the account whose state is in memory; started, and paused until connected. */
  private openOutbox(userId: string): Outbox {
    const outbox = this.o.createOutbox(
      () => {
        if (!this.api) throw new Error('Not signed in.');
        return this.api;
      },
      userId,
      {
        load: () => this.o.store.get('engine').outbox,
        save: (items) => {
          this.o.store.update('engine', (e) => ({ ...e, outbox: items }));
        },
      },
    );
    for (const problem of outbox.problems) this.log(`outbox: ${problem}`);
    outbox.onChange((view) => this.state.update({ outbox: view.items.map(toView) }));
    outbox.pause(WAITING_REASON);
    outbox.start();
    return outbox;
  }

  /**
   * The store holds the state of an account in this environment: take it up before connecting, so
   * the inbox shows and actions are queued at once. Connecting as someone else replaces it.
   */
  private restoreKnownAccount(): void {
    const engine = this.o.store.get('engine');
    const owner = engine.owner;
    if (!owner || owner.environment !== this.o.env.id || this.ownerId === owner.userId) return;
    this.loadOwnState(engine);
    this.ownerId = owner.userId;
    this.outbox = this.openOutbox(owner.userId);
    this.state.update({ outbox: this.outbox.items().map(toView) });
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
    if (watcher) this.lastWatch = watcher.diagnostics();
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

  /**
   * The session ended (no refresh token, or a revoked one). Said once: one state change, whatever
   * number of requests failed. The outbox keeps what waits (on disk) until the next sign-in; the
   * watcher has stopped itself, so nothing asks Genesys meanwhile.
   */
  private onNeedsSignIn(): void {
    this.outbox?.pause(SIGNED_OUT_REASON);
    // The state is the message (the popup's banner words it); a notice would say it twice.
    if (this.state.get().connection !== 'needs-sign-in')
      this.state.update({ connection: 'needs-sign-in', notice: undefined });
    this.auto?.request();
  }

  /**
   * Resolves when this connection's settings read has answered, or after SETTINGS_WAIT_MS: a slow
   * network must not hold every notification back for a minute; the last settings read (kept on
   * disk) then stand.
   */
  private settingsReadOrLastKnown(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.settingsWaitMs ?? SETTINGS_WAIT_MS);
      timer.unref?.();
    });
    return Promise.race([this.settingsRead, late]).finally(() => clearTimeout(timer));
  }

  /** Reads the user's Genesys settings; when that fails, the last ones read (kept on disk) stand. */
  private async loadSettings(): Promise<void> {
    if (!this.api) return;
    this.state.update({ settings: { value: this.server, sync: 'loading' } });
    try {
      this.server = await this.api.settings();
      this.state.update({ settings: { value: this.server, sync: 'idle' } });
      this.scheduleSave();
    } catch (err) {
      this.log(`engine: reading the chat settings failed: ${errText(err)}`);
      this.state.update({ settings: { value: this.server, sync: 'error', error: errText(err) } });
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  private onRoster(entries: RosterEntry[], info: RosterInfo): void {
    this.roster = new Map(entries.map((e) => [e.chat.id, e]));
    // Until a first sync completes, history is history: what was there before the engine started.
    // A message created since is new even if the roster already shows it.
    if (info.seed)
      for (const e of entries)
        this.ledger.seedCursor(e.chat.id, Math.min(e.lastMessageAt ?? this.startedAt, this.startedAt));
    this.scheduleSave();
  }

  private enqueueBatch(batch: WatchBatch): Promise<void> {
    // Batches are processed one at a time, in arrival order: the ledger sees each chat in order.
    const run = this.queue.then(() => this.handleBatch(batch));
    this.queue = run.catch((err) => this.log(`engine: a batch failed: ${errText(err)}`));
    return this.queue;
  }

  private async handleBatch(batch: WatchBatch): Promise<void> {
    // The first decisions of a connection must know the user's settings (mentions only, muted).
    await this.settingsReadOrLastKnown();
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
    if (this.lastMessages.note(chat.id, batch.events)) this.scheduleSave();
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

  /** Takes up `me`'s state from the store, or starts it fresh when the store holds another's. */
  private loadState(me: Me): void {
    const engine = this.o.store.get('engine');
    const owner = { userId: me.id, environment: this.o.env.id };
    this.ownerId = me.id;
    if (engine.owner?.userId === owner.userId && engine.owner.environment === owner.environment) {
      this.loadOwnState(engine);
      return;
    }
    if (engine.owner) this.log('engine: a different account signed in; starting its state fresh');
    this.o.store.update('engine', () => ({ ...EngineStateSchema.parse({}), owner }));
    this.ledger = new Ledger();
    this.held = new HeldQueue();
    this.inbox = new Inbox();
    this.lastMessages = new LastMessages();
    this.roster = new Map();
    this.server = null;
    this.syncedAt = null;
    this.publishInbox();
  }

  private loadOwnState(engine: EngineState): void {
    const loadedLedger = Ledger.fromJSON(
      engine.ledger ?? { version: 1, cursors: {}, seen: [], notified: [], pending: [] },
    );
    if (loadedLedger.issue && engine.ledger) this.log(`engine: ${loadedLedger.issue}`);
    this.ledger = loadedLedger.ledger;
    const loadedHeld = HeldQueue.fromJSON(engine.held ?? { version: 1, items: [] });
    if (loadedHeld.issue && engine.held) this.log(`engine: ${loadedHeld.issue}`);
    this.held = loadedHeld.queue;
    this.inbox = Inbox.fromJSON(engine.inbox, (m) => this.log(m));
    this.lastMessages = LastMessages.fromJSON(engine.lastMessages);
    this.syncedAt = engine.syncedAt;
    this.server = engine.settings ?? this.server;
    if (this.server) this.state.update({ settings: { value: this.server, sync: 'idle' } });
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
    if (!this.ownerId) return;
    try {
      this.o.store.patch('engine', {
        settings: this.server,
        ledger: this.ledger.toJSON(),
        held: this.held.toJSON(),
        inbox: this.inbox.toJSON(),
        lastMessages: this.lastMessages.toJSON(),
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
