// What the engine is built from (compose.ts fills it in with the real parts; tests may swap some).
import type { ChatApi, Me } from '../genesys/chat-api.ts';
import type { Environment } from '../genesys/environment.ts';
import type { GenesysHttp } from '../genesys/http.ts';
import type { WireStats } from '../genesys/wire-stats.ts';
import type { AppStore } from '../store/store.ts';
import type { Ledger } from './ledger.ts';
import type { Notifier } from './notification.ts';
import type { CreateOutbox } from './outbox-host.ts';
import type { NetworkPort, SessionPort } from './ports.ts';
import type { LocalClock } from './rules.ts';
import type { Watching } from './sources/watching.ts';

/** What a connection gives the watch it starts (compose.ts builds the channel and the sources). */
export interface WatchContext {
  api: ChatApi;
  http: GenesysHttp;
  me: Me;
  cursors: Ledger;
  /** Messages this app posted for the user (the outbox's sent items), across connections and restarts. */
  sentByApp?(): Iterable<string>;
}

export interface EngineOptions {
  env: Environment;
  demo: boolean;
  session: SessionPort;
  store: AppStore;
  notifier: Notifier;
  /** Where connections go (proxies, certificates); absent: Node's fetch. */
  network?: NetworkPort;
  /** The channel and the watched sources of one connection, chats first. */
  createWatching(ctx: WatchContext): Watching;
  createOutbox: CreateOutbox;
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
