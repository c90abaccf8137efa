// The outbox's options and what it tells its listeners, with the defaults filled in once.
import type { ChatApi } from '../../genesys/chat-api.ts';
import type { BackoffRange } from '../watch/backoff.ts';
import type { CustomerPerformer } from './customer-perform.ts';
import type { OutboxItem } from './schema.ts';

/** Where the outbox keeps its items: the engine maps this onto its settings document. */
export interface OutboxStorage {
  /** What `save` last stored (anything: it is validated), or undefined when nothing was. */
  load(): unknown;
  save(items: OutboxItem[]): void | Promise<void>;
}

export interface OutboxOptions {
  storage: OutboxStorage;
  /**
   * The Genesys client to use now. Read before every attempt, so after signing in again the engine
   * only has to make this return the new client and call `resume()`. Throwing means "signed out".
   */
  api: () => ChatApi;
  /**
   * Who carries out actions on customer conversations now (the current connection's messaging
   * source). Read before every such attempt; undefined (or absent) means "not yet": the item waits.
   */
  customers?: () => CustomerPerformer | undefined;
  /** The signed-in user's id when the engine knows it; otherwise asked of each client once. */
  userId?: () => string | undefined;
  /** Items sent at the same time, across all chats (default 2). */
  maxInFlight?: number;
  /** Attempts before an item fails for good (default 8). */
  maxAttempts?: number;
  /** Retry waits: doubling from `minMs` (default 1 s) up to `maxMs` (default 60 s), jittered. */
  backoff?: Partial<BackoffRange>;
  /** How much earlier than our clock the server may date a reply we posted (default 2 min). */
  skewMs?: number;
  /** Sent items kept for the UI: at most `count`, none older than `ms` (defaults 50, 10 min). */
  keepSent?: { count?: number; ms?: number };
  /** Told about damaged saved items, failed saves and listener errors (never message text). */
  report?: (problem: string) => void;
  now?: () => number;
  random?: () => number;
}

/** The options with every default applied. */
export type OutboxConfig = Required<Omit<OutboxOptions, 'backoff' | 'keepSent'>> & {
  backoff: BackoffRange;
  keepSent: { count: number; ms: number };
};

export interface OutboxStatus {
  /** Between `start()` and `stop()`. */
  running: boolean;
  paused: boolean;
  /** Why it is paused, for the UI (e.g. the user must sign in again). */
  pauseReason?: string;
}

/** What an outbox change listener is told: every item and the status (not the UI's per-item OutboxView). */
export interface OutboxChange {
  items: OutboxItem[];
  status: OutboxStatus;
}

/** How long an item waits before its next attempt: from a second up to a minute. */
export const OUTBOX_BACKOFF: BackoffRange = Object.freeze({ minMs: 1_000, maxMs: 60_000 });

/** Actions that may wait at once (queued, sending or failed). */
export const MAX_WAITING = 200;

export function resolveOptions(options: OutboxOptions): OutboxConfig {
  return {
    storage: options.storage,
    api: options.api,
    customers: options.customers ?? (() => undefined),
    userId: options.userId ?? (() => undefined),
    maxInFlight: Math.max(1, Math.trunc(options.maxInFlight ?? 2)),
    maxAttempts: Math.max(1, Math.trunc(options.maxAttempts ?? 8)),
    backoff: { ...OUTBOX_BACKOFF, ...options.backoff },
    skewMs: options.skewMs ?? 120_000,
    keepSent: { count: options.keepSent?.count ?? 50, ms: options.keepSent?.ms ?? 10 * 60_000 },
    report: options.report ?? (() => {}),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}
