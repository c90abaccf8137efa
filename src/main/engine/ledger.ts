// Exactly-once bookkeeping for created messages: per-chat cursors, a bounded seen-set, which messages
// notified and which notifications are still showing. Serialisable to JSON and validated when read back.
import { z } from 'zod';
import { NotifyKindSchema } from '../../shared/domain/kinds.ts';
import { OldestFirst } from './oldest-first.ts';
import type { NotifyKind } from './rules.ts';

/** What the ledger needs to know about a message. */
export interface MessageKey {
  id: string;
  chatId: string;
  createdAt: number;
}

export interface PendingNotification {
  messageId: string;
  chatId: string;
  kind: NotifyKind;
  notifiedAt: number;
}

export interface LedgerOptions {
  /** Message ids remembered individually (default 5000). */
  seenCapacity?: number;
  /** Notified message ids remembered (default 2000). */
  notifiedCapacity?: number;
  /** Notifications remembered as still showing, for withdrawal on delete (default 500). */
  pendingCapacity?: number;
  /** How far server timestamps may be out of order within a chat (default 2000 ms). */
  skewMs?: number;
}

const CursorSchema = z.object({
  /** `createdAt` of the newest processed message. */
  at: z.number().finite(),
  /** Ids processed with exactly that `createdAt`. */
  ids: z.array(z.string()),
  /** Everything at or before this time counts as processed (history before the chat was first watched). */
  baseline: z.number().finite().optional(),
  /** Newest `createdAt` of this chat's ids dropped from the seen-set: at or before it counts as processed. */
  evictedUpTo: z.number().finite().optional(),
});

export const LedgerStateSchema = z.object({
  version: z.literal(1),
  cursors: z.record(z.string(), CursorSchema),
  /** [id, createdAt, chatId], oldest first. */
  seen: z.array(z.tuple([z.string(), z.number().finite(), z.string()])),
  notified: z.array(z.string()),
  pending: z.array(
    z.object({
      messageId: z.string(),
      chatId: z.string(),
      kind: NotifyKindSchema,
      notifiedAt: z.number().finite(),
    }),
  ),
});
export type LedgerState = z.infer<typeof LedgerStateSchema>;
type Cursor = z.infer<typeof CursorSchema>;

export interface LedgerLoad {
  ledger: Ledger;
  /** Why the data could not be used (the ledger is then fresh); absent when it loaded. */
  issue?: string;
}

/**
 * Decides whether a created message is new, exactly once across push, backfill, polling and restarts.
 *
 * Three layers, each covering what the one before cannot:
 * - the seen-set: every processed id, oldest dropped first once it holds `seenCapacity`;
 * - the cursor per chat: the newest processed `createdAt` and the ids at exactly that time, so a
 *   message sharing the newest timestamp is neither repeated nor skipped; anything older than the
 *   cursor by more than `skewMs` (or at/before the chat's baseline) counts as processed;
 * - `evictedUpTo`, per chat: the newest `createdAt` of that chat's ids dropped from the seen-set.
 *   Anything of that chat at or before it counts as processed, so an id dropped from the set is never
 *   mistaken for a new one. It is per chat because a catch-up processes chats one after another, not
 *   in global time order: a global watermark would hide older messages of chats caught up later.
 *
 * (With `evictedUpTo`, the cursor's ids are belt and braces for equal timestamps: they keep the chat's
 * newest moment exact even if the seen-set is ever pruned some other way.)
 *
 * Why the bound is safe: every processed id of a chat newer than its `evictedUpTo` is still in the set,
 * so "unseen and newer than `evictedUpTo`" really means unseen. The only price of the bound is that a
 * message arriving late by more than the time it takes `seenCapacity` other messages to be processed
 * is treated as processed; with 5000 that is hours of traffic, against a skew window of seconds.
 */
export class Ledger {
  readonly skewMs: number;
  readonly #cursors = new Map<string, Cursor>();
  readonly #seen = new Map<string, { at: number; chatId: string }>();
  readonly #notified = new Set<string>();
  readonly #pending = new Map<string, PendingNotification>();
  readonly #seenTrim: OldestFirst<string>;
  readonly #notifiedTrim: OldestFirst<string>;
  readonly #pendingTrim: OldestFirst<string>;

  constructor(options: LedgerOptions = {}) {
    this.skewMs = options.skewMs ?? 2000;
    if (!(this.skewMs >= 0)) throw new RangeError('skewMs must be zero or more');
    const seen = positive(options.seenCapacity ?? 5000, 'seenCapacity');
    const notified = positive(options.notifiedCapacity ?? 2000, 'notifiedCapacity');
    const pending = positive(options.pendingCapacity ?? 500, 'pendingCapacity');
    this.#seenTrim = new OldestFirst(this.#seen, seen);
    this.#notifiedTrim = new OldestFirst(this.#notified, notified);
    this.#pendingTrim = new OldestFirst(this.#pending, pending);
  }

  /** Whether a created message still has to be decided. False for anything already processed. */
  shouldProcess(message: MessageKey): boolean {
    if (this.#seen.has(message.id)) return false;
    const cursor = this.#cursors.get(message.chatId);
    if (cursor) {
      if (message.createdAt === cursor.at && cursor.ids.includes(message.id)) return false;
      if (message.createdAt < cursor.at - this.skewMs) return false;
      if (cursor.baseline !== undefined && message.createdAt <= cursor.baseline) return false;
      if (cursor.evictedUpTo !== undefined && message.createdAt <= cursor.evictedUpTo) return false;
    }
    return true;
  }

  /** Records a message as processed, whatever was decided for it. Call in `createdAt` order per chat. */
  markProcessed(message: MessageKey): void {
    if (!this.#seen.has(message.id)) {
      this.#seen.set(message.id, { at: message.createdAt, chatId: message.chatId });
      this.#evictSeen();
    }
    const cursor = this.#cursors.get(message.chatId);
    if (!cursor || message.createdAt > cursor.at) {
      const baseline = cursor?.baseline;
      const next: Cursor = { at: message.createdAt, ids: [message.id] };
      if (baseline !== undefined && baseline > message.createdAt - this.skewMs) next.baseline = baseline;
      if (cursor?.evictedUpTo !== undefined) next.evictedUpTo = cursor.evictedUpTo;
      this.#cursors.set(message.chatId, next);
    } else if (message.createdAt === cursor.at && !cursor.ids.includes(message.id)) {
      cursor.ids.push(message.id);
    }
  }

  /**
   * Where a backfill of `chatId` should start: the cursor minus the skew allowance, so a message whose
   * timestamp is slightly out of order is fetched again (and de-duplicated here). Undefined for a chat
   * never processed nor seeded: the caller decides how far back to look (see `seedCursor`).
   */
  cursorFor(chatId: string): { after: number } | undefined {
    const cursor = this.#cursors.get(chatId);
    if (!cursor) return undefined;
    const after = cursor.at - this.skewMs;
    return { after: cursor.baseline === undefined ? after : Math.max(after, cursor.baseline) };
  }

  /** Newest processed (or seeded) time of a chat, to compare with the roster's `dateLastMessage`. */
  latestFor(chatId: string): number | undefined {
    return this.#cursors.get(chatId)?.at;
  }

  /**
   * Marks everything in `chatId` up to and including `at` as history, for a chat seen for the first
   * time. Does nothing (returns false) when the chat already has a cursor.
   */
  seedCursor(chatId: string, at: number): boolean {
    if (this.#cursors.has(chatId)) return false;
    this.#cursors.set(chatId, { at, ids: [], baseline: at });
    return true;
  }

  /** Drops a chat's cursor and pending notifications (the user left the chat). */
  forgetChat(chatId: string): void {
    this.#cursors.delete(chatId);
    for (const [id, item] of this.#pending) if (item.chatId === chatId) this.#pending.delete(id);
  }

  chats(): string[] {
    return [...this.#cursors.keys()];
  }

  /** Records that a notification was shown for a message; it stays pending until read or withdrawn. */
  recordNotified(item: PendingNotification): void {
    this.#notified.delete(item.messageId);
    this.#notified.add(item.messageId);
    this.#notifiedTrim.trim();
    this.#pending.delete(item.messageId);
    this.#pending.set(item.messageId, { ...item });
    this.#pendingTrim.trim();
  }

  wasNotified(messageId: string): boolean {
    return this.#notified.has(messageId);
  }

  /** The message was deleted: its pending notification, if one is showing, to take back. */
  withdraw(messageId: string): PendingNotification | undefined {
    const item = this.#pending.get(messageId);
    this.#pending.delete(messageId);
    return item ? { ...item } : undefined;
  }

  /** The user read the chat: its notifications are no longer pending; returns them (to clear). */
  markChatRead(chatId: string): PendingNotification[] {
    const read = this.pending(chatId);
    for (const item of read) this.#pending.delete(item.messageId);
    return read;
  }

  pending(chatId?: string): PendingNotification[] {
    return [...this.#pending.values()]
      .filter((item) => chatId === undefined || item.chatId === chatId)
      .map((item) => ({ ...item }));
  }

  toJSON(): LedgerState {
    return {
      version: 1,
      cursors: Object.fromEntries(
        [...this.#cursors].map(([chatId, cursor]) => [chatId, { ...cursor, ids: [...cursor.ids] }]),
      ),
      seen: [...this.#seen].map(([id, s]) => [id, s.at, s.chatId] as [string, number, string]),
      notified: [...this.#notified],
      pending: this.pending(),
    };
  }

  /** Reads back `toJSON()` output; anything that does not validate gives a fresh ledger and an `issue`. */
  static fromJSON(data: unknown, options: LedgerOptions = {}): LedgerLoad {
    const parsed = LedgerStateSchema.safeParse(data);
    const ledger = new Ledger(options);
    if (!parsed.success) {
      return { ledger, issue: `ledger state is invalid, starting fresh: ${z.prettifyError(parsed.error)}` };
    }
    const state = parsed.data;
    for (const [chatId, cursor] of Object.entries(state.cursors)) ledger.#cursors.set(chatId, cursor);
    for (const [id, at, chatId] of state.seen) ledger.#seen.set(id, { at, chatId });
    ledger.#evictSeen();
    for (const id of state.notified) ledger.#notified.add(id);
    ledger.#notifiedTrim.trim();
    for (const item of state.pending) ledger.#pending.set(item.messageId, item);
    ledger.#pendingTrim.trim();
    return { ledger };
  }

  #evictSeen(): void {
    this.#seenTrim.trim((id) => {
      const { at, chatId } = this.#seen.get(id)!;
      // The watermark is per chat: a catch-up that processes chat A's recent messages before chat B's
      // older ones must not make B's unprocessed messages look done.
      const cursor = this.#cursors.get(chatId);
      if (cursor && (cursor.evictedUpTo === undefined || at > cursor.evictedUpTo)) cursor.evictedUpTo = at;
    });
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
