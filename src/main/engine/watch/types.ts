// The watch vocabulary (states, batches, timings) shared by the sources, and what they need from the engine.
import type { ChatEvent, ChatRef, EventSource } from '../model.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';

/**
 * - `connecting`: starting, or push is reconnecting after a loss;
 * - `push`: the notification socket is open and subscribed;
 * - `polling`: push is unavailable, the roster is polled;
 * - `offline`: Genesys Cloud cannot be reached (network errors); retrying with backoff;
 * - `needs-sign-in`: the token is gone; nothing runs until `resync('manual')`.
 * Before `start()` and after `stop()` the state is `offline`.
 */
export type WatchState = 'connecting' | 'push' | 'polling' | 'offline' | 'needs-sign-in';

/** Why to catch up; `network-lost` (the OS says offline) only checks that the socket still answers. */
export type ResyncReason = 'resume' | 'unlock' | 'online' | 'network-lost' | 'clock-jump' | 'manual';

/**
 * Events of one chat. Push batches hold exactly one event; backfill and poll batches hold every new
 * message of the chat found by one read, as `created` events, oldest first.
 */
export interface WatchBatch {
  source: EventSource;
  chat: ChatRef;
  events: ChatEvent[];
  /** Read as one chat of a sync (a catch-up or a poll tick), which ends with a 'synced' event. */
  inSync?: boolean;
}

export interface RosterInfo {
  /**
   * True while no sync has ever completed (first run, `start()` without `syncedAt`): the engine seeds
   * a cursor at `lastMessageAt` for every chat that has none, so old history never notifies. When
   * false the engine must not seed: the watcher fetches chats without a cursor from `syncedAt - 2 s`.
   */
  seed: boolean;
}

export interface WatcherEvents {
  batch: (batch: WatchBatch) => void;
  state: (state: WatchState) => void;
  /** The whole known roster, newest activity first; emitted before any history of a sync is read. */
  roster: (entries: RosterEntry[], info: RosterInfo) => void;
  /** Wall-clock time the last completed sync started reading: persist it, pass it to `start()`. */
  synced: (at: number) => void;
}

/** Where each chat's processing stands: the engine's Ledger satisfies this. */
export interface CursorSource {
  /** Where a backfill of the chat starts (only messages strictly after `after`), if the chat has a cursor. */
  cursorFor(chatId: string): { after: number } | undefined;
  /** `createdAt` of the newest processed (or seeded) message of the chat. */
  latestFor(chatId: string): number | undefined;
  /** Notifications shown and not yet read or withdrawn (perhaps by an earlier run). */
  pending?(): { messageId: string; chatId: string }[];
}

/** The subset of the WebSocket API the channel uses; Node's global WebSocket and `ws` both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface WatcherTimings {
  /** No frame (heartbeats included) for this long: the socket is dead, reconnect. */
  heartbeatTimeoutMs: number;
  /** A socket that has not opened after this long counts as failed. */
  connectTimeoutMs: number;
  /** Reconnect and retry backoff, doubled per failure, jittered (50–100 % of the step). */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  pollBaseMs: number;
  /** For two minutes after activity. */
  pollFastMs: number;
  /** After ten quiet minutes. */
  pollSlowMs: number;
  /** No poll is ever tighter than this: 5 s keeps a steady poll at ≤ 12 roster reads a minute. */
  pollFloorMs: number;
  /** While polling, how often push is tried again. */
  pushRetryMs: number;
  clockCheckMs: number;
  clockJumpMs: number;
  /** After `resync()`, a pong (or any frame) must arrive this fast or the socket is replaced. */
  probeTimeoutMs: number;
  /** A full roster read (which notices chats the user left) at least this often; diffs in between. */
  rosterFullMs: number;
  /** After an unreadable event on a room topic, the room is read over REST this much later (once per burst). */
  surpriseReadMs: number;
}

export const defaultTimings: WatcherTimings = Object.freeze({
  heartbeatTimeoutMs: 75_000,
  connectTimeoutMs: 15_000,
  reconnectMinMs: 1_000,
  reconnectMaxMs: 60_000,
  pollBaseMs: 10_000,
  pollFastMs: 5_000,
  pollSlowMs: 30_000,
  pollFloorMs: 5_000,
  pushRetryMs: 5 * 60_000,
  clockCheckMs: 5_000,
  clockJumpMs: 10_000,
  probeTimeoutMs: 5_000,
  rosterFullMs: 60 * 60_000,
  surpriseReadMs: 500,
});
