// Catches up over REST: a roster read finds which chats changed, then each changed chat's history
// is read forward from its cursor and handed over as ONE batch per chat, oldest first.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import { reactionsEqual, type RosterEntry } from '../../genesys/mappers.ts';
import type { ChatEvent, ChatMessage, ChatRef, EventSource } from '../model.ts';
import { KeyedSerial, Semaphore } from './limiter.ts';
import type { MessageMemory } from './message-memory.ts';
import type { RosterBook } from './roster-book.ts';
import type { CursorSource, WatchBatch } from './types.ts';

/** How far before a known point a read starts again, for timestamps slightly out of order. */
export const OVERLAP_MS = 2_000;
/**
 * A chat read because one of its pushed events could not be read is read this far back: the lost
 * event may have been a reaction (an Edit) to an earlier message, which a read from the cursor on
 * would never see. Reactions found changed against what the watcher remembers are handed over.
 */
export const REACTION_RECHECK_MS = 15 * 60_000;
/**
 * A catch-up after a gap also looks back in this many of the chats where the user wrote lately:
 * what the gap hid may be a reaction to one of their messages, which moves no roster date.
 * Reactions to older messages, or while polling, are not seen (docs/reliability.md).
 */
export const RECHECK_CHATS = 10;

export interface BackfillOptions {
  api: Pick<ChatApi, 'roster' | 'readAfter'>;
  cursors: CursorSource;
  book: RosterBook;
  memory: MessageMemory;
  emit(batch: WatchBatch): void;
  log(message: string): void;
  now(): number;
  /** Chats read at the same time (default 2). */
  concurrency?: number;
  /** Pages read for one chat in one go (default 20, i.e. 2000 messages); the rest comes next sync. */
  maxPages?: number;
}

export interface SyncRequest {
  source: 'backfill' | 'poll';
  /** Read the whole roster (else only what changed since the last completed sync). */
  full: boolean;
  /** Where chats without a cursor start; undefined on a first run: they are skipped (the engine seeds). */
  newChatsFrom: number | undefined;
  /** After the roster read, before any history: publish the roster, subscribe new rooms. */
  afterRoster(changed: boolean): Promise<void>;
  /** A catch-up after a gap: recently active chats are read back for changed reactions too. */
  recheckRecent?: boolean;
}

export interface SyncResult {
  /** Wall-clock time the sync started (its roster read). */
  startedAt: number;
  /** Chats read and messages handed over. */
  chats: number;
  messages: number;
}

export class Backfiller {
  private readonly options: BackfillOptions;
  private readonly slots: Semaphore;
  private readonly serial = new KeyedSerial<number>();
  /** Newest `createdAt` handed over per chat in this session (the engine's cursor may lag behind). */
  private readonly handed = new Map<string, number>();
  /** Chats whose history was cut off at `maxPages`: read again next sync even if the roster is quiet. */
  private readonly unfinished = new Map<string, ChatRef>();
  /** Chats whose next read also looks back `REACTION_RECHECK_MS` for changed reactions. */
  private readonly recheck = new Set<string>();

  constructor(options: BackfillOptions) {
    this.options = options;
    this.slots = new Semaphore(options.concurrency ?? 2);
  }

  /** Reads `chat` in the next sync whatever the roster says (an event of it could not be read). */
  readNextSync(chat: ChatRef): void {
    this.unfinished.set(chat.id, chat);
    this.recheck.add(chat.id);
  }

  async sync(req: SyncRequest): Promise<SyncResult> {
    const startedAt = this.options.now();
    const stopAt = this.options.book.stopAt;
    const full = req.full || stopAt === undefined;
    const read = await this.options.api.roster(full ? {} : { stopAtOrBefore: stopAt });
    const changed = this.options.book.apply(read, full, startedAt);
    await req.afterRoster(changed);
    const plan = new Map<string, { chat: ChatRef; lastMessageAt?: number }>();
    for (const chat of this.unfinished.values()) plan.set(chat.id, { chat });
    for (const entry of read) if (this.behind(entry)) plan.set(entry.chat.id, entry);
    if (req.recheckRecent) {
      for (const entry of this.recentlyActive(startedAt)) {
        this.recheck.add(entry.chat.id);
        if (!plan.has(entry.chat.id)) plan.set(entry.chat.id, entry);
      }
    }
    const results = await Promise.allSettled(
      [...plan.values()].map((e) => this.chat(e.chat, req.source, req.newChatsFrom, e.lastMessageAt, true)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw worst(failures);
    this.options.book.commit(read);
    const messages = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
    return { startedAt, chats: plan.size, messages };
  }

  /**
   * Reads one chat forward from where it stands and hands over what is new (one batch). Runs of the
   * same chat never overlap; at most `concurrency` chats are read at once. `lastMessageAt`: what the
   * roster said, read before this. `inSync`: part of a sync (marked on the batch). Returns the
   * message count.
   */
  chat(
    chat: ChatRef,
    source: 'backfill' | 'poll',
    newChatsFrom: number | undefined,
    lastMessageAt?: number,
    inSync = false,
  ): Promise<number> {
    return this.serial.run(chat.id, () =>
      this.slots
        .use(() => this.read(chat, source, newChatsFrom, lastMessageAt, inSync))
        .catch((err: unknown) => {
          // A chat the user may no longer read (left the room, chat gone): skip it rather than fail
          // the whole sync over and over; the next full roster read drops it.
          if (err instanceof GenesysError && err.kind === 'http' && !err.retryable && err.status !== 408) {
            this.options.log(`backfill: skipped ${chat.kind} ${chat.id}: HTTP ${err.status} ${err.code}`);
            return 0;
          }
          // An answer in a shape the app cannot read (counted in WireStats): this chat waits for the
          // next sync (it stays unfinished, its cursor where it was); the rest of the sync goes on.
          if (err instanceof GenesysError && err.kind === 'bad-response') {
            this.unfinished.set(chat.id, chat);
            this.options.log(`backfill: could not read ${chat.kind} ${chat.id}; it is read again next sync`);
            return 0;
          }
          throw err;
        }),
    );
  }

  /**
   * The chats where the user wrote within the recheck window (reactions notify only on the user's
   * own messages), most recent first, at most `RECHECK_CHATS`.
   */
  private recentlyActive(now: number): RosterEntry[] {
    return this.options.memory
      .chatsWithOwnSince(now - REACTION_RECHECK_MS)
      .flatMap((chatId) => this.options.book.get(chatId) ?? [])
      .slice(0, RECHECK_CHATS);
  }

  /** Whether the roster says the chat has messages newer than anything processed or handed over. */
  private behind(entry: RosterEntry): boolean {
    if (entry.lastMessageAt === undefined) return false;
    const known = Math.max(
      this.options.cursors.latestFor(entry.chat.id) ?? -Infinity,
      this.handed.get(entry.chat.id) ?? -Infinity,
    );
    return entry.lastMessageAt > known;
  }

  /** The date of the newest message of the chat already processed or handed over. */
  private knownAt(chatId: string): number | undefined {
    const known = Math.max(
      this.options.cursors.latestFor(chatId) ?? -Infinity,
      this.handed.get(chatId) ?? -Infinity,
    );
    return Number.isFinite(known) ? known : undefined;
  }

  private startFor(chatId: string, newChatsFrom: number | undefined): number | undefined {
    const cursor = this.options.cursors.cursorFor(chatId);
    const handed = this.handed.get(chatId);
    if (cursor && handed !== undefined) return Math.max(cursor.after, handed - OVERLAP_MS);
    if (cursor) return cursor.after;
    if (handed !== undefined) return handed - OVERLAP_MS;
    return newChatsFrom;
  }

  private async read(
    chat: ChatRef,
    source: 'backfill' | 'poll',
    newChatsFrom: number | undefined,
    lastMessageAt: number | undefined,
    inSync: boolean,
  ): Promise<number> {
    const start = this.startFor(chat.id, newChatsFrom);
    if (start === undefined) return 0;
    const maxPages = this.options.maxPages ?? 20;
    // Robust to the server's page order, limit and bounds: see genesys/history-read.ts.
    // Reading from just before the newest message already had brings it back, which shows the
    // page reached known ground (history-read.ts); the ledger knows it and lets it pass unnoticed.
    const known = this.knownAt(chat.id);
    const normalAfter = known !== undefined ? Math.min(start, known - 1) : start;
    const recheckFrom = this.recheck.has(chat.id) ? this.options.now() - REACTION_RECHECK_MS : undefined;
    const rechecking = recheckFrom !== undefined && recheckFrom < normalAfter;
    const { messages: read, complete } = await this.options.api.readAfter(chat, {
      after: rechecking ? recheckFrom : normalAfter,
      maxPages,
      ...(lastMessageAt !== undefined ? { knownLast: lastMessageAt } : {}),
      // A recheck reads its whole window: "known ground" would stop it at the newest known message.
      ...(known !== undefined && !rechecking ? { known } : {}),
    });
    this.recheck.delete(chat.id);
    // Messages the watcher already knew (from before, or the overlap) whose reactions changed.
    const changed = rechecking ? this.reactionChanges(read, source) : [];
    // Only what lies after the start is handed over (the cursor's contract: strictly after).
    const found = read.filter((m) => m.createdAt > start);
    if (complete) this.unfinished.delete(chat.id);
    else {
      this.unfinished.set(chat.id, chat);
      this.options.log(`backfill: ${chat.kind} ${chat.id} has more than ${maxPages} pages; the rest follows`);
    }
    // Everything up to the newest message read is handed over; after a complete read, also up to
    // the roster's date: a last message that history did not return was deleted (or is older than
    // where a new chat starts), and must not make every later sync read this chat again.
    const upTo = Math.max(
      this.handed.get(chat.id) ?? -Infinity,
      found.at(-1)?.createdAt ?? -Infinity,
      complete ? (lastMessageAt ?? -Infinity) : -Infinity,
    );
    if (Number.isFinite(upTo)) this.handed.set(chat.id, upTo);
    // The user's own messages first seen here may already carry reactions made while nothing was
    // pushed (a gap): none of them was ever told, so all are new (the engine keeps what it told).
    for (const m of found) {
      const memory = this.options.memory;
      if (memory.get(m.id) || !memory.isOwn(m) || Object.keys(m.reactions).length === 0) continue;
      changed.push({ type: 'reactions', source, message: m });
    }
    if (found.length === 0 && changed.length === 0) return 0;
    for (const m of found) this.options.memory.rememberIfNew(m);
    this.options.emit({
      source,
      chat,
      events: [...changed, ...found.map((message) => ({ type: 'created' as const, source, message }))],
      ...(inSync ? { inSync: true } : {}),
    });
    return found.length;
  }

  /** Messages read again whose reactions differ from what the watcher last heard (it remembers them). */
  private reactionChanges(messages: ChatMessage[], source: EventSource): ChatEvent[] {
    const events: ChatEvent[] = [];
    for (const message of messages) {
      const known = this.options.memory.get(message.id);
      if (!known || known.deleted || reactionsEqual(known.reactions, message.reactions)) continue;
      events.push({ type: 'reactions', source, message, previous: known.reactions });
      this.options.memory.remember(message);
    }
    return events;
  }
}

/** The error that matters most: a lost sign-in over anything else. */
function worst(errors: unknown[]): unknown {
  return (
    errors.find((e) => e instanceof GenesysError && e.kind === 'needs-sign-in') ??
    errors.find((e) => e instanceof GenesysError && e.kind === 'network') ??
    errors[0]
  );
}
