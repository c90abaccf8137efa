// Reading a chat's history after a point in time, without relying on what Genesys leaves
// undocumented: the order of a page, whether `limit` is honoured (or capped lower, or ignored),
// whether `after`/`before` are inclusive, and which end of a range a `limit` keeps. The range is
// read as windows: a page that comes back full may have been cut at either end, so the part below
// its oldest message and the part above its newest are read as windows of their own; a window is
// done when a page brings nothing new. Messages are de-duplicated by id and sorted by dateCreated,
// then id.
import type { ChatMessage } from '../engine/model.ts';

/** The page size the app asks history for: the most Genesys gives in one page. */
export const HISTORY_PAGE = 100;

export interface PageQuery {
  /** Epoch ms: messages after this (inclusive or not: either works). */
  after?: number;
  /** Epoch ms: messages before this (inclusive or not: either works). */
  before?: number;
  limit: number;
}

/** One request: the messages it brought (mapped) and how many entries the server sent. */
export type PageReader = (q: PageQuery) => Promise<{ messages: ChatMessage[]; received: number }>;

export interface ReadAfterOptions {
  /** Epoch ms to read from; an overlap with what is known is fine (de-duplicated). */
  after: number;
  /**
   * The roster's `dateLastMessage` for the chat, when known: a short page that has not reached it
   * is not taken as the end (the server may cap `limit` below what was asked).
   */
  knownLast?: number;
  /**
   * The date of the newest message the caller already has (at or after `after`). A page that
   * reaches back to it shows that nothing below it is missing; one that does not (a server that
   * caps `limit` and keeps the newest end of the range) makes the part below it be read too.
   */
  known?: number;
  limit?: number;
  /** Requests at most (default 20); the read is then incomplete. */
  maxPages?: number;
}

export interface ReadResult {
  /** Oldest first. */
  messages: ChatMessage[];
  /** False when `maxPages` ran out first: more may follow. */
  complete: boolean;
  pages: number;
}

interface Window {
  lo: number;
  hi?: number;
  /** Nothing below `lo` is read yet beyond what the caller knows (the windows at the read's start). */
  floor: boolean;
  /** Times it was moved on past its overlap (see below). */
  nudged?: number;
}

/** Everything after `opts.after`, however the server orders, limits and bounds its pages. */
export async function readAfter(read: PageReader, opts: ReadAfterOptions): Promise<ReadResult> {
  const limit = opts.limit ?? HISTORY_PAGE;
  const maxPages = opts.maxPages ?? 20;
  const seen = new Map<string, ChatMessage>();
  // A stack: the window below a full page is read before the one above it.
  const windows: Window[] = [{ lo: opts.after, floor: true }];
  let pages = 0;
  while (windows.length > 0) {
    if (pages >= maxPages) {
      // The stack always holds windows above everything read so far (the lowest is read first):
      // only what lies below the lowest unread window is known to be whole. The rest is read again
      // next time rather than leaving a hole behind the reader's cursor.
      const frontier = Math.min(...windows.map((x) => x.lo));
      const whole = [...seen.values()].filter((m) => m.createdAt <= frontier);
      return { messages: sortMessages(whole), complete: false, pages };
    }
    const w = windows.pop()!;
    const { messages, received } = await read({
      after: w.lo,
      ...(w.hi !== undefined ? { before: w.hi } : {}),
      limit,
    });
    pages++;
    let fresh = 0;
    let oldest = Infinity;
    let newest = -Infinity;
    for (const m of messages) {
      // Outside the window asked for (a bound ignored): known already, or another window's.
      if (m.createdAt < w.lo || (w.hi !== undefined && m.createdAt > w.hi)) continue;
      oldest = Math.min(oldest, m.createdAt);
      newest = Math.max(newest, m.createdAt);
      if (seen.has(m.id)) continue;
      seen.set(m.id, m);
      fresh++;
    }
    if (fresh === 0) {
      // A window above what was read that brought back only its millisecond of overlap, while
      // more is expected (a full page, or the roster knows of later messages): the server gave
      // only the message at the bound (one message per answer, or a tiny cap). Step past the
      // overlap a millisecond at a time (twice at most: exclusive, then inclusive bounds).
      const more =
        received === limit || (w.hi === undefined && opts.knownLast !== undefined && newest < opts.knownLast);
      const nudged = w.nudged ?? 0;
      if (!w.floor && nudged < 2 && messages.length > 0 && newest <= w.lo + 1 && more)
        windows.push({ ...w, lo: w.lo + 1, nudged: nudged + 1 });
      continue;
    }
    // Whether the page reached back to what the caller already had: then nothing below it is missing.
    const grounded = !w.floor || (opts.known !== undefined && oldest <= opts.known);
    const above = { lo: newest - 1, ...(w.hi !== undefined ? { hi: w.hi } : {}), floor: false };
    // One millisecond of overlap on each side covers inclusive and exclusive bounds alike.
    const below = { lo: w.lo, hi: oldest + 1, floor: w.floor };
    if (received === limit) {
      // Full: the limit may have cut the window at either end.
      windows.push(above);
      if (!grounded || opts.known === undefined) windows.push(below);
    } else if (received < limit) {
      // Short, yet the roster knows of a later message: a lower cap than asked (or that message
      // was deleted, which the next page shows by bringing nothing).
      if (w.hi === undefined && opts.knownLast !== undefined && newest < opts.knownLast) windows.push(above);
      // Short, but not back to known ground: a cap that kept the newest end.
      if (!grounded && opts.known !== undefined) windows.push(below);
    }
    // More than asked: the server ignored the limit and sent the whole window.
  }
  return { messages: sortMessages(seen.values()), complete: true, pages };
}

/** Oldest first: by dateCreated, then id; one per id. */
export function sortMessages(messages: Iterable<ChatMessage>): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const m of messages) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
