// Reading the roster (`GET /api/v2/users/chats/me`) page by page, without relying on its order or
// on how its `nextUri` is spelled, neither of which is documented. A read that only wants what
// changed may stop early, but only while the server has shown that it sorts the roster newest
// first: a full read that came back in that order earns the trust, an inversion anywhere takes it
// away (and every later read then reads every page).
import { toRosterEntry, type RosterEntry } from './mappers.ts';
import { ChatItemWire } from './wire.ts';

export const ROSTER_PATH = '/api/v2/users/chats/me';
const MAX_PAGES = 100;

export interface RosterPage {
  entries: RosterEntry[];
  /** Query of the next page (taken from `nextUri`), if any. */
  next?: Record<string, string>;
}

export type RosterPageReader = (query: Record<string, string>) => Promise<RosterPage>;

export type RosterOrder = 'unknown' | 'newest-first' | 'unordered';

export class RosterReader {
  private order: RosterOrder = 'unknown';

  /** What the server has shown of its roster order so far. */
  get knownOrder(): RosterOrder {
    return this.order;
  }

  /**
   * Every chat, or with `stopAtOrBefore` at least every chat whose last message is newer than it:
   * paging stops at the first page reaching an older chat only while the order is trusted.
   */
  async read(page: RosterPageReader, stopAtOrBefore?: number): Promise<RosterEntry[]> {
    const out: RosterEntry[] = [];
    const asked = new Set<string>();
    let query: Record<string, string> = { excludeClosed: 'false' };
    let previous = Infinity;
    let sorted = true;
    let whole = false;
    for (let n = 0; n < MAX_PAGES; n++) {
      const res = await page(query);
      let reachedOld = false;
      for (const entry of res.entries) {
        out.push(entry);
        // Chats without a message sort last in a newest-first roster.
        const at = entry.lastMessageAt ?? -Infinity;
        if (at > previous) sorted = false;
        previous = at;
        if (stopAtOrBefore !== undefined && at <= stopAtOrBefore) reachedOld = true;
      }
      const key = res.next ? JSON.stringify(res.next) : undefined;
      if (!res.next || !key || asked.has(key)) {
        whole = true;
        break;
      }
      asked.add(key);
      if (reachedOld && sorted && this.order === 'newest-first') break;
      query = res.next;
    }
    if (!sorted) this.order = 'unordered';
    else if (whole && this.order === 'unknown') this.order = 'newest-first';
    // A chat met twice (it moved between two pages while they were read): its latest state once.
    const byId = new Map<string, RosterEntry>();
    for (const entry of out) {
      const seen = byId.get(entry.chat.id);
      if (!seen || (entry.lastMessageAt ?? -Infinity) >= (seen.lastMessageAt ?? -Infinity))
        byId.set(entry.chat.id, entry);
    }
    return [...byId.values()];
  }
}

/**
 * The query of a roster page's `nextUri`: whatever cursor parameter it carries (`after`, a page
 * number, ...) is passed on as it is. Only a link to the roster path itself is followed.
 */
export function nextQuery(nextUri: string | null | undefined): Record<string, string> | undefined {
  if (!nextUri) return undefined;
  let url: URL;
  try {
    url = new URL(nextUri, 'https://api.invalid');
  } catch {
    return undefined;
  }
  if (!url.pathname.endsWith(ROSTER_PATH)) return undefined;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return Object.keys(query).length > 0 ? query : undefined;
}

/** Parses a roster page's items one by one: one that cannot be read is reported, the rest kept. */
export function rosterEntries(
  items: unknown[],
  surprise: (kind: string, value: unknown, detail?: string) => void,
): { entry: RosterEntry; userName?: string }[] {
  const out: { entry: RosterEntry; userName?: string }[] = [];
  for (const raw of items) {
    const item = ChatItemWire.safeParse(raw);
    if (!item.success) {
      surprise('ChatItem', raw, item.error.issues[0]?.message);
      continue;
    }
    const entry = toRosterEntry(item.data, (what, value) => surprise(what, value));
    if (entry) out.push({ entry, ...(item.data.user?.name ? { userName: item.data.user.name } : {}) });
  }
  return out;
}
