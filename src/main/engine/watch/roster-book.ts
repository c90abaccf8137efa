// The chats the watcher knows of (from roster reads), by id and by jid, and the newest roster date
// a completed sync has covered (where the next roster diff can stop).
import type { RosterEntry } from '../../genesys/mappers.ts';

export class RosterBook {
  private readonly byId = new Map<string, RosterEntry>();
  private readonly jids = new Map<string, string>();
  /** Newest `lastMessageAt` of the roster at the last completed sync. */
  private covered: number | undefined;
  private fullAt: number | undefined;

  get size(): number {
    return this.byId.size;
  }

  /** Newest first. */
  entries(): RosterEntry[] {
    return [...this.byId.values()].sort((a, b) => (b.lastMessageAt ?? -1) - (a.lastMessageAt ?? -1));
  }

  get(chatId: string): RosterEntry | undefined {
    return this.byId.get(chatId);
  }

  byJid(jid: string): RosterEntry | undefined {
    const id = this.jids.get(jid);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Where a roster diff may stop; undefined until a sync completed (then read it all). */
  get stopAt(): number | undefined {
    return this.covered;
  }

  /** When the roster was last read whole. */
  get lastFullRead(): number | undefined {
    return this.fullAt;
  }

  /**
   * Takes in a roster read. A full read replaces the book (chats the user left disappear); a diff
   * read only updates and adds. Returns whether the chats themselves (not just dates) changed.
   */
  apply(read: RosterEntry[], full: boolean, now: number): boolean {
    let changed = false;
    if (full) {
      this.fullAt = now;
      const ids = new Set(read.map((e) => e.chat.id));
      for (const [id, entry] of this.byId) {
        if (ids.has(id)) continue;
        this.byId.delete(id);
        this.jids.delete(entry.chat.jid);
        changed = true;
      }
    }
    for (const entry of read) {
      const before = this.byId.get(entry.chat.id);
      if (!before || differs(before, entry)) changed = true;
      // A diff read can be older than what push already told: keep the newer date.
      const lastMessageAt = Math.max(before?.lastMessageAt ?? -Infinity, entry.lastMessageAt ?? -Infinity);
      this.byId.set(entry.chat.id, Number.isFinite(lastMessageAt) ? { ...entry, lastMessageAt } : entry);
      if (entry.chat.jid) this.jids.set(entry.chat.jid, entry.chat.id);
    }
    return changed;
  }

  /** A sync that read `read` completed: the next diff may stop at its newest date. */
  commit(read: RosterEntry[]): void {
    for (const e of read)
      if (e.lastMessageAt !== undefined && (this.covered === undefined || e.lastMessageAt > this.covered))
        this.covered = e.lastMessageAt;
  }

  clear(): void {
    this.byId.clear();
    this.jids.clear();
    this.covered = undefined;
    this.fullAt = undefined;
  }
}

function differs(a: RosterEntry, b: RosterEntry): boolean {
  return (
    a.chat.name !== b.chat.name ||
    a.chat.jid !== b.chat.jid ||
    a.chat.kind !== b.chat.kind ||
    a.open !== b.open ||
    a.room?.id !== b.room?.id ||
    a.room?.type !== b.room?.type
  );
}
