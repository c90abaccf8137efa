// Catches up over REST: a roster read finds which chats changed, then each changed chat's history
// is read forward from its cursor and handed over as ONE batch per chat, oldest first.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { ChatRef } from '../model.ts';
import { KeyedSerial, Semaphore } from './limiter.ts';
import type { MessageMemory } from './message-memory.ts';
import type { RosterBook } from './roster-book.ts';
import type { CursorSource, WatchBatch } from './types.ts';

/** How far before a known point a read starts again, for timestamps slightly out of order. */
export const OVERLAP_MS = 2_000;

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

  constructor(options: BackfillOptions) {
    this.options = options;
    this.slots = new Semaphore(options.concurrency ?? 2);
  }

  /** Reads `chat` in the next sync whatever the roster says (an event of it could not be read). */
  readNextSync(chat: ChatRef): void {
    this.unfinished.set(chat.id, chat);
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
    const { messages: read, complete } = await this.options.api.readAfter(chat, {
      after: known !== undefined ? Math.min(start, known - 1) : start,
      maxPages,
      ...(lastMessageAt !== undefined ? { knownLast: lastMessageAt } : {}),
      ...(known !== undefined ? { known } : {}),
    });
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
    if (found.length === 0) return 0;
    for (const m of found) this.options.memory.rememberIfNew(m);
    this.options.emit({
      source,
      chat,
      events: found.map((message) => ({ type: 'created' as const, source, message })),
      ...(inSync ? { inSync: true } : {}),
    });
    return found.length;
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
