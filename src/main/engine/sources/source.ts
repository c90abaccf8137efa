// What a watched source is: a kind of conversation the engine watches (chats today; customer
// conversations next) with its own topics, frame reader, roster, cursors and REST reads. The engine
// owns the one notification channel (push-hub.ts) and routes each frame to the source that owns its
// topic family; every batch a source emits goes through the same decision pipeline. See
// docs/architecture.md, "How to add a source".
import type { ChatApi, Me } from '../../genesys/chat-api.ts';
import type { GenesysHttp } from '../../genesys/http.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import type { WireStats } from '../../genesys/wire-stats.ts';
import type { WatchDiagnostics } from '../diagnostics.ts';
import type { PushStatus } from '../push/status.ts';
import type { SystemNotice } from '../push/frames.ts';
import type {
  CursorSource,
  ResyncReason,
  RosterInfo,
  WatchBatch,
  WatcherTimings,
  WatchState,
} from '../watch/types.ts';

/** What the channel tells every source: its status, a system notice, a subscription answer. */
export type ChannelEvent =
  | PushStatus
  | { type: 'system'; notice: SystemNotice }
  /** The server's answer for this source's own topics (`wanted`), after a subscription PUT. */
  | { type: 'topics'; wanted: string[]; listing: TopicListing };

/** The events a source emits; the engine hears them with the source's id. */
export interface SourceEvents {
  /** One conversation's events, in server order: decided by rules → ledger → save → notify. */
  batch: (batch: WatchBatch) => void;
  state: (state: WatchState) => void;
  /** The source's whole roster (its conversations), before any history of a sync is read. */
  roster: (entries: RosterEntry[], info: RosterInfo) => void;
  /** A catch-up of the source completed; `at` is when it started reading. */
  synced: (at: number) => void;
}

/** A source's handle on the shared channel (push-hub.ts). */
export interface PushPort {
  readonly up: boolean;
  readonly channelId: string | undefined;
  /** The server permitted this topic on the current channel. */
  isSubscribed(topic: string): boolean;
  /** How many topics this source may ask for: the shared budget less what the others hold. */
  topicLimit(): number;
  /** Opens the channel if it is not running (push came back, a restart after a sign-in). */
  start(): void;
  /** Closes the channel: only when the session is gone (every source loses it anyway). */
  stop(): void;
  retryNow(): void;
  probe(): void;
  /** Puts every source's current topics on the channel (this source's changed). */
  syncTopics(force?: boolean): Promise<void>;
}

/** What the engine gives a source when it connects. */
export interface SourceContext {
  api: ChatApi;
  http: GenesysHttp;
  me: Me;
  /** The ledger's view of where each conversation's processing stands. */
  cursors: CursorSource;
  /** Messages this app posted for the user (the outbox's sent items), across connections and restarts. */
  sentByApp?(): Iterable<string>;
  push: PushPort;
  wireStats: WireStats;
  timings: WatcherTimings;
  log(message: string): void;
  now(): number;
}

/** What an earlier run of a source left for the next one. */
export interface SourceStart {
  /** The end of the source's last completed catch-up in an earlier run, if known. */
  syncedAt?: number;
  /**
   * Its roster when the earlier run ended (kept in the store across app starts), newest first; empty
   * on a first run. Only a hint for its first subscription: its first roster read says what is true.
   */
  known?: readonly RosterEntry[];
}

export interface WatchSource {
  /** Names the source in logs and events (`chats`). */
  readonly id: string;
  readonly state: WatchState;
  /** Topics kept for this source out of the shared budget whatever the sources before it ask. */
  readonly reservedTopics?: number;
  /** Whether a topic belongs to one of this source's families (frames on it come here). */
  ownsTopic(topic: string): boolean;
  /** The topics wanted now, in priority order, at most `push.topicLimit()`. */
  topics(): string[];
  /** An event on one of its topics; the body is untrusted and unread. */
  onFrame(topic: string, body: unknown): void;
  onChannel(event: ChannelEvent): void;
  start(opts: SourceStart): void;
  stop(): void;
  resync(reason: ResyncReason): void;
  on<K extends keyof SourceEvents>(event: K, listener: SourceEvents[K]): () => void;
  /** Its part of the diagnostics report, if any. */
  diagnostics?(): SourceDiagnostics;
}

export interface SourceDiagnostics {
  /** What the subscription answers said of its topics. */
  topics?: WatchDiagnostics['topics'];
  /** Conversations read over REST because an event on their topic could not be read. */
  recovered?: number;
}

export type SourceFactory = (ctx: SourceContext) => WatchSource;
