// The engine's connection lifecycle: restore the session or sign in, connect (who am I, whose state,
// the settings read, the outbox, the watched sources on their one channel), retry a failed connect
// with backoff, and disconnect on sign-out or stop. The sources' merged state is what the user sees.
import { RequestBudget } from '../genesys/budget.ts';
import { ChatApi, type Me } from '../genesys/chat-api.ts';
import { GenesysError, GenesysHttp } from '../genesys/http.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import type { WireStats } from '../genesys/wire-stats.ts';
import { AutoSignIn } from './auto-sign-in.ts';
import type { WatchDiagnostics } from './diagnostics.ts';
import type { EngineData } from './engine-data.ts';
import type { EngineOptions } from './engine-options.ts';
import type { StateHub } from './engine-state.ts';
import { SIGNED_OUT_REASON } from './outbox/failure.ts';
import type { OutboxHost } from './outbox-host.ts';
import type { Pipeline } from './pipeline.ts';
import type { ServerSettingsSync } from './server-settings.ts';
import type { Watching } from './sources/watching.ts';
import type { InteractionsLink } from './interactions-link.ts';
import { backoffDelay } from './watch/backoff.ts';
import type { ResyncReason, RosterInfo } from './watch/types.ts';
import { errorText } from '../../shared/errors.ts';

export interface ConnectionParts {
  state: StateHub;
  data: EngineData;
  pipeline: Pipeline;
  settings: ServerSettingsSync;
  outboxes: OutboxHost;
  interactions: InteractionsLink;
  wireStats: WireStats;
  log(message: string): void;
  now(): number;
}

export class Connection {
  private readonly o: EngineOptions;
  private readonly p: ConnectionParts;
  private readonly budget: RequestBudget;
  private readonly auto: AutoSignIn | null;
  private api: ChatApi | null = null;
  private me: Me | null = null;
  /** When start() was called: a message created after it is never history, even on a first run. */
  private startedAt = 0;
  /** The user signed out: nothing signs in again by itself. */
  private signedOutOnPurpose = false;
  private signingIn: Promise<void> | null = null;
  private watching: Watching | null = null;
  /** What the last watch knew, once it is gone (signed out, stopped). */
  private lastWatch: WatchDiagnostics | null = null;
  private stopped = false;
  /** Connecting failed for a passing reason (no network, a 5xx): the next try. */
  private connectRetry: ReturnType<typeof setTimeout> | null = null;
  private connectFailures = 0;
  private connecting: Promise<void> = Promise.resolve();

  constructor(opts: EngineOptions, parts: ConnectionParts) {
    this.o = opts;
    this.p = parts;
    this.budget = new RequestBudget(opts.budget ?? { perMinute: 200, userReserve: 40 });
    this.auto = opts.autoSignIn
      ? new AutoSignIn({
          signIn: () => this.signIn(),
          wanted: () => !this.stopped && !this.signedOutOnPurpose && this.o.session.state !== 'signed-in',
          log: (m) => this.p.log(m),
        })
      : null;
    opts.session.onState((s) => {
      if (s === 'needs-sign-in') this.onNeedsSignIn();
    });
  }

  get client(): ChatApi | null {
    return this.api;
  }

  get user(): Me | null {
    return this.me;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** What the watch knows (or knew last) for the diagnostics report. */
  watchDiagnostics(): WatchDiagnostics | null {
    return this.watching?.diagnostics() ?? this.lastWatch;
  }

  /** Restores the session and, when signed in, connects; with `autoSignIn`, signs in by itself. */
  async start(): Promise<void> {
    this.startedAt = this.p.now();
    const s = await this.o.session.restore();
    if (s === 'signed-in') await this.connect();
    else if (s === 'needs-sign-in') this.onNeedsSignIn();
    else if (this.auto) await this.auto.now();
    else this.p.state.update({ connection: 'signed-out' });
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
    this.p.state.update({ connection: 'signing-in', notice: undefined });
    try {
      await this.o.session.signIn(signal);
    } catch (err) {
      // The session stays as it was (ended, or never there); the reason is for the user to read.
      const ended = this.o.session.state === 'needs-sign-in';
      this.p.state.update({ connection: ended ? 'needs-sign-in' : 'signed-out', notice: errorText(err) });
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
    this.p.state.update({ connection: 'signed-out', account: null });
  }

  /** Stops everything and writes what must survive (the outbox is flushed first). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.auto?.stop();
    await this.disconnect();
  }

  /** After sleep, unlock, or coming back online: catch up over REST. */
  resync(reason: ResyncReason): void {
    const c = this.p.state.get().connection;
    // Nothing to catch up without a session: asking would only fail (the sign-in says it once).
    if (c === 'needs-sign-in' || c === 'signed-out' || c === 'signing-in') return;
    if (this.connectRetry && reason !== 'network-lost') {
      // Not connected (the last try failed): try now rather than at the end of the backoff.
      this.clearConnectRetry();
      this.connect().catch(() => {});
      return;
    }
    this.watching?.resync(reason);
    if (reason === 'network-lost') return;
    this.p.outboxes.outbox?.kick();
    if (reason === 'resume' || reason === 'manual') this.p.settings.refresh();
  }

  /** One at a time: a sign-in, a retry and a resync may all ask. */
  private connect(): Promise<void> {
    const run = this.connecting.then(() => this.connectNow());
    this.connecting = run.catch(() => {});
    return run;
  }

  private async connectNow(): Promise<void> {
    this.clearConnectRetry();
    // Signing in again while the previous watch still runs (a revoked session is often noticed
    // first by the outbox or a settings read, while it is between reconnects): stop it, or it
    // reconnects with the new tokens and two channels are held, even after stop().
    const previous = this.stopWatching();
    // What it decided is saved and shown before the state is read back from the store below.
    if (previous) await this.p.pipeline.enqueueFlush();
    this.p.state.update({ connection: 'connecting', notice: undefined });
    const http = new GenesysHttp({
      apiBase: this.o.env.apiBase,
      tokens: this.o.session,
      budget: this.budget,
      log: (m) => this.p.log(m),
      wireStats: this.p.wireStats,
      ...(this.o.network ? { fetch: this.o.network.fetch } : {}),
    });
    const api = new ChatApi(http);
    let me: Me;
    try {
      me = await api.me();
    } catch (err) {
      if (err instanceof GenesysError && err.kind === 'needs-sign-in') this.onNeedsSignIn();
      else this.p.state.update({ connection: 'offline', notice: errorText(err) });
      // Nothing else would ever try again: the watch only exists once connected.
      if (err instanceof GenesysError && err.retryable && !this.stopped) this.scheduleConnectRetry();
      throw err;
    }
    if (this.stopped) return;
    this.connectFailures = 0;
    if (this.p.data.ownerId !== me.id) {
      // Another account (or none known): what the previous one queued must never be sent as this
      // one. Its outbox stops (and saves) before the store is reset for the new owner.
      const previousOutbox = await this.p.outboxes.close();
      const waiting = previousOutbox?.items().filter((i) => i.state === 'queued').length ?? 0;
      if (waiting > 0) this.p.log(`engine: dropped ${waiting} unsent action(s) of the previous account`);
      this.p.data.takeUp(me);
      this.p.settings.showKnown();
      this.p.pipeline.publishInbox();
    }
    this.api = api;
    this.me = me;
    this.p.state.update({ account: { userId: me.id, name: me.name } });
    // Decisions wait for the user's settings (mentions only, muted...), read once per connection.
    this.p.settings.read();
    this.p.outboxes.open(me.id);
    const sentByApp = (): string[] => this.p.outboxes.sentMessageIds();
    this.watch(this.o.createWatching({ api, http, me, cursors: this.p.data.ledger, sentByApp }));
    // After the sources started: a customer conversation's actions need the messaging source.
    this.p.outboxes.resume();
    this.p.pipeline.startHoldChecks(this.o.holdCheckMs ?? 60_000);
  }

  private watch(watching: Watching): void {
    this.watching = watching;
    watching.on('state', (s) => {
      // Offline, the banner says why when the network knows (a proxy, a certificate).
      const why = s === 'offline' ? this.o.network?.lastProblem : null;
      this.p.state.update({ connection: s, ...(why ? { notice: why } : {}) });
    });
    watching.on('roster', (entries, info, source) => this.onRoster(entries, info, source));
    watching.on('synced', (at, source) => {
      void this.p.pipeline.enqueueFlush(); // the catch-up is complete: out with what it found
      if (source !== watching.primary.id) return;
      this.p.data.syncedAt = at;
      const shown = this.p.state.get().lastSyncAt;
      // Polling reports a sync every few seconds: tell the UI at most every 30 s.
      if (shown === null) this.p.state.update({ lastSyncAt: at });
      else if (at - shown >= 30_000) this.p.state.update({ lastSyncAt: at });
      this.p.pipeline.scheduleSave();
    });
    watching.on('batch', (batch) => void this.p.pipeline.enqueueBatch(batch));
    this.p.interactions.attach(watching);
    const syncedAt = this.p.data.syncedAt;
    // The rosters the account's state holds (loaded from the store, or the last run's): each source
    // subscribes the topics they need with its first subscription, before its first roster read.
    watching.start({ ...(syncedAt !== null ? { syncedAt } : {}), known: (id) => this.p.data.rosterOf(id) });
  }

  private onRoster(entries: RosterEntry[], info: RosterInfo, source: string): void {
    this.p.data.setRoster(source, entries);
    // Until a first sync completes, history is history: what was there before the engine started.
    // A message created since is new even if the roster already shows it.
    if (info.seed)
      for (const e of entries)
        this.p.data.ledger.seedCursor(e.chat.id, Math.min(e.lastMessageAt ?? this.startedAt, this.startedAt));
    this.p.pipeline.scheduleSave();
  }

  private stopWatching(): Watching | null {
    const watching = this.watching;
    this.watching = null;
    if (watching) this.lastWatch = watching.diagnostics();
    watching?.stop();
    this.p.interactions.detach();
    return watching;
  }

  /** Genesys could not be reached while connecting: try again, backing off as the sources do. */
  private scheduleConnectRetry(): void {
    this.connectFailures++;
    const delay = backoffDelay(this.connectFailures, { minMs: 1_000, maxMs: 60_000 });
    this.p.log(`engine: could not connect; trying again in ${delay} ms`);
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
    this.stopWatching();
    await this.p.pipeline.enqueueFlush();
    await this.p.outboxes.close();
    this.p.pipeline.saveNow();
  }

  /**
   * The session ended (no refresh token, or a revoked one). Said once: one state change, whatever
   * number of requests failed. The outbox keeps what waits (on disk) until the next sign-in; the
   * sources have stopped themselves, so nothing asks Genesys meanwhile.
   */
  private onNeedsSignIn(): void {
    this.p.outboxes.outbox?.pause(SIGNED_OUT_REASON);
    // The state is the message (the popup's banner words it); a notice would say it twice.
    if (this.p.state.get().connection !== 'needs-sign-in')
      this.p.state.update({ connection: 'needs-sign-in', notice: undefined });
    this.auto?.request();
  }
}
