// The watching engine, composed: the connection lifecycle (connection.ts) with the watched sources
// on one channel, the decision pipeline (pipeline.ts), the persisted state (engine-data.ts), the
// user's settings, the outbox and the popup's reads. Imports nothing from Electron; the shell and
// the headless runner drive it the same way.
import type { ChatApi, Me } from '../genesys/chat-api.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import { WireStats } from '../genesys/wire-stats.ts';
import type { Prefs } from '../store/schema.ts';
import { Connection } from './connection.ts';
import { buildDiagnostics, ConnectionHistory, type DiagnosticsReport } from './diagnostics.ts';
import { EngineData } from './engine-data.ts';
import type { EngineOptions } from './engine-options.ts';
import { initialSnapshot, StateHub, type OutboxView } from './engine-state.ts';
import { fillMissing, type LastMessage } from './last-messages.ts';
import type { ChatRef, ServerSettings } from './model.ts';
import { OutboxHost } from './outbox-host.ts';
import { InteractionsLink, type InteractionsListener } from './interactions-link.ts';
import { CustomerDesk } from '../messaging/desk.ts';
import type { OutboxAction } from './outbox/schema.ts';
import { Pipeline } from './pipeline.ts';
import { ChatQueries } from './queries.ts';
import { ServerSettingsSync } from './server-settings.ts';
import type { ResyncReason } from './watch/types.ts';
import { errorText } from '../../shared/errors.ts';

export class Engine {
  readonly state: StateHub;
  readonly wireStats: WireStats;
  /** The popup's reads (history, pins, participants, names): chat-checked, at the user's priority. */
  readonly queries: ChatQueries;
  private readonly o: EngineOptions;
  private readonly now: () => number;
  private readonly data: EngineData;
  private readonly pipeline: Pipeline;
  private readonly settings: ServerSettingsSync;
  private readonly outboxes: OutboxHost;
  private readonly interactions: InteractionsLink;
  private readonly connection: Connection;
  private readonly activity = new Set<(chatId: string) => void>();
  private readonly history = new ConnectionHistory();
  private readonly unsubscribeNetwork: () => void;
  private fillingPreviews = false;
  private desk: { source: unknown; desk: CustomerDesk } | undefined;

  constructor(opts: EngineOptions) {
    this.o = opts;
    this.now = opts.now ?? Date.now;
    const log = (m: string): void => this.o.log?.(m);
    this.wireStats = opts.wireStats ?? new WireStats({ log });
    this.state = new StateHub(initialSnapshot(opts.demo, opts.env.id));
    this.history.note(this.state.get().connection, this.now());
    this.state.subscribe((s) => this.history.note(s.connection, this.now()));
    this.data = new EngineData(opts.store, opts.env.id, log);
    const api = (): ChatApi | null => this.connection.client;
    this.settings = new ServerSettingsSync({
      data: this.data,
      state: this.state,
      api,
      changed: () => this.pipeline.scheduleSave(),
      log,
      ...(opts.settingsWaitMs !== undefined ? { waitMs: opts.settingsWaitMs } : {}),
    });
    this.pipeline = new Pipeline({
      data: this.data,
      notifier: opts.notifier,
      state: this.state,
      prefs: () => this.o.store.get('prefs'),
      me: () => this.connection.user,
      senderName: (id) => api()?.userName(id) ?? Promise.resolve(''),
      settingsReady: () => this.settings.ready(),
      stopped: () => this.connection.isStopped,
      activity: (chatId) => this.tellActivity(chatId),
      log,
      now: this.now,
      ...(opts.localTime ? { localTime: opts.localTime } : {}),
      ...(opts.saveDebounceMs !== undefined ? { saveDebounceMs: opts.saveDebounceMs } : {}),
    });
    this.outboxes = new OutboxHost({
      create: opts.createOutbox,
      store: opts.store,
      state: this.state,
      api,
      customers: () => {
        const source = this.interactions.source;
        // Not before the source started: the item waits (the outbox resumes after the sources start).
        return source && source.availability().state !== 'stopped' ? source : undefined;
      },
      log,
    });
    this.queries = new ChatQueries({
      api,
      me: () => this.connection.user,
      chat: (id) => this.chat(id),
      chats: () => this.data.roster.values(),
    });
    this.interactions = new InteractionsLink(this.state, log);
    this.connection = new Connection(opts, {
      state: this.state,
      data: this.data,
      pipeline: this.pipeline,
      settings: this.settings,
      outboxes: this.outboxes,
      interactions: this.interactions,
      wireStats: this.wireStats,
      log,
      now: this.now,
    });
    const network = opts.network;
    const showProxySignIn = (): void => this.state.update({ proxySignIn: network?.proxySignIn ?? undefined });
    if (network?.proxySignIn) showProxySignIn();
    this.unsubscribeNetwork = network?.onChange(showProxySignIn) ?? (() => {});
  }

  /**
   * Takes up the account this store knows (its inbox, chats and outbox, so actions are queued while
   * connecting or offline), restores the session and, when signed in, starts watching. With
   * `autoSignIn`, signs in by itself when there is no session.
   */
  async start(): Promise<void> {
    const known = this.data.knownOwner();
    if (known) {
      this.settings.showKnown();
      this.pipeline.publishInbox();
      this.outboxes.open(known);
    }
    await this.connection.start();
  }

  /** Signs in in the browser, then connects. One at a time: a second call joins the one under way. */
  signIn(signal?: AbortSignal): Promise<void> {
    return this.connection.signIn(signal);
  }

  signOut(): Promise<void> {
    return this.connection.signOut();
  }

  /** Stops everything and writes what must survive (the outbox is flushed first). */
  async stop(): Promise<void> {
    this.unsubscribeNetwork();
    await this.connection.stop();
    this.pipeline.stopHoldChecks();
  }

  /** After sleep, unlock, or coming back online: catch up over REST. */
  resync(reason: ResyncReason): void {
    this.connection.resync(reason);
  }

  // ---- the user's actions -------------------------------------------------------------------

  /** Queues an action (saved before anything is sent); refused only when no account is known. */
  act(action: OutboxAction): Promise<OutboxView> {
    return this.outboxes.act(action);
  }

  retryAction(id: string): Promise<boolean> {
    return this.outboxes.retry(id);
  }

  discardAction(id: string): Promise<boolean> {
    return this.outboxes.discard(id);
  }

  /** Resolves when the action has been sent or has failed (for the headless runner and tests). */
  settled(id: string): Promise<OutboxView | undefined> {
    return this.outboxes.settled(id);
  }

  /** The chat a message belongs to, from the roster (reading the message when needed). */
  chatOfMessage(messageId: string): Promise<ChatRef> {
    return this.queries.chatOfMessage(messageId);
  }

  markRead(chatId: string): void {
    this.pipeline.markRead(chatId);
  }

  markAllRead(): void {
    this.pipeline.markAllRead();
  }

  /** Optimistic: the UI shows the new value at once; a failed write rolls back with an error. */
  updateServerSettings(change: Partial<ServerSettings>): Promise<ServerSettings> {
    return this.settings.update(change);
  }

  prefs(): Prefs {
    return this.o.store.get('prefs');
  }

  updatePrefs(change: Partial<Prefs>): Prefs {
    const next = this.o.store.update('prefs', (p) => ({ ...p, ...change }));
    this.pipeline.prefsChanged();
    return next;
  }

  /**
   * The OS's do-not-disturb turned on or off. While on, notifications are held like under the app's
   * own do-not-disturb; when it ends they come out as one summary per chat, none lost.
   */
  setSystemDoNotDisturb(on: boolean): void {
    this.pipeline.setSystemDoNotDisturb(on);
  }

  // ---- what the UI reads --------------------------------------------------------------------

  chat(chatId: string): ChatRef | undefined {
    return this.data.roster.get(chatId)?.chat;
  }

  chats(): RosterEntry[] {
    return [...this.data.roster.values()];
  }

  /** The newest message seen in a chat (for the chat list's preview), if any. */
  lastMessage(chatId: string): LastMessage | undefined {
    return this.data.lastMessages.get(chatId);
  }

  /**
   * Reads, in the background, the newest message of recent chats without a preview; each one
   * filled is told as activity in that chat (the chat list then shows it). One run at a time.
   */
  fillPreviews(): void {
    const api = this.connection.client;
    if (this.fillingPreviews || !api) return;
    this.fillingPreviews = true;
    const last = this.data.lastMessages;
    fillMissing(last, [...this.data.roster.values()], api)
      .then((filled) => {
        if (filled.length === 0 || last !== this.data.lastMessages) return;
        this.pipeline.scheduleSave();
        for (const chatId of filled) for (const l of this.activity) l(chatId);
      })
      .catch((err: unknown) => this.o.log?.(`engine: could not read chat previews: ${errorText(err)}`))
      .finally(() => (this.fillingPreviews = false));
  }

  get user(): Me | null {
    return this.connection.user;
  }

  /**
   * The user's customer conversations on the current connection: their list and transcripts, and the
   * agent's actions (reply, end and wrap-up through the outbox; accept and decline direct).
   */
  messaging(): CustomerDesk | null {
    const source = this.interactions.source;
    if (!source) return null;
    if (this.desk?.source !== source)
      this.desk = { source, desk: new CustomerDesk(source, (action) => this.act(action)) };
    return this.desk.desk;
  }

  /** Hears every change of the user's customer conversations (the id of the one that changed, if one). */
  onInteractions(listener: InteractionsListener): () => void {
    return this.interactions.on(listener);
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
      watch: this.connection.watchDiagnostics(),
      surprises: this.wireStats.snapshot(),
    });
  }

  /** Resolves when every batch received so far has been processed (for tests and a clean quit). */
  idle(): Promise<void> {
    return this.pipeline.idle();
  }

  private tellActivity(chatId: string): void {
    for (const l of this.activity) {
      try {
        l(chatId);
      } catch (err) {
        this.o.log?.(`engine: an activity listener failed: ${errorText(err)}`);
      }
    }
  }
}
