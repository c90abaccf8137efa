// How the chat source catches up over REST: a sync reads the roster (a diff, or in full), puts the
// topics in step, then every changed chat's history; a single chat can be read on its own (a badge,
// an unreadable event). A completed sync releases the pushed events held since the gap it covers.
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { ChatRef } from '../model.ts';
import { Backfiller, OVERLAP_MS } from './backfill.ts';
import type { ChatRun } from './chat-run.ts';
import type { TickResult } from './poller.ts';
import type { RosterInfo, WatchBatch } from './types.ts';

export interface ChatCatchUpDeps extends ChatRun {
  /** Hands a batch read over REST on (while the source runs). */
  emit(batch: WatchBatch): void;
  roster(entries: RosterEntry[], info: RosterInfo): void;
  /** A sync completed (it started reading at `at`). */
  caughtUp(at: number): void;
}

export class ChatCatchUp {
  /** When the last completed sync started reading (undefined before the first, on a first run). */
  syncedAt: number | undefined;
  private readonly d: ChatCatchUpDeps;
  private readonly backfiller: Backfiller;
  private sessionStart = 0;
  private rosterPublished = false;

  constructor(deps: ChatCatchUpDeps) {
    this.d = deps;
    this.backfiller = new Backfiller({
      api: deps.ctx.api,
      cursors: deps.ctx.cursors,
      book: deps.book,
      memory: deps.memory,
      emit: (batch) => deps.emit(batch),
      log: deps.log,
      now: deps.ctx.now,
    });
  }

  /** The next sync reads this chat whatever the roster says (an event on it could not be read). */
  readNextSync(chat: ChatRef): void {
    this.backfiller.readNextSync(chat);
  }

  /** A new run of the source: its first sync publishes the roster whatever changed. */
  newRun(): void {
    this.sessionStart = this.d.ctx.now();
    this.rosterPublished = false;
  }

  /** Reads one chat now (outside a sync); a failure leaves it to the next sync. */
  readChat(chat: ChatRef): void {
    const d = this.d;
    const generation = d.generation();
    const from = (this.syncedAt ?? this.sessionStart) - OVERLAP_MS;
    this.backfiller.chat(chat, d.polling() ? 'poll' : 'backfill', from).catch((err: unknown) => {
      if (generation !== d.generation()) return;
      d.restError(err, `reading ${chat.kind} ${chat.id}`);
      if (!d.signedOut()) d.syncs.scheduleRetry();
    });
  }

  /** One sync: roster (diff or full), topics, then every changed chat's history. Never throws. */
  async sync(source: 'backfill' | 'poll'): Promise<TickResult> {
    const d = this.d;
    const generation = d.generation();
    const startEpoch = d.gaps.current;
    const last = d.book.lastFullRead;
    const owed = d.syncs.takeFull();
    const full = owed || last === undefined || d.ctx.now() - last >= d.ctx.timings.rosterFullMs;
    try {
      const result = await this.backfiller.sync({
        source,
        full,
        newChatsFrom: this.syncedAt === undefined ? undefined : this.syncedAt - OVERLAP_MS,
        recheckRecent: source === 'backfill' && this.syncedAt !== undefined,
        afterRoster: async (changed) => {
          if (generation !== d.generation()) throw new Error('the watcher stopped');
          if (changed || !this.rosterPublished) this.publishRoster();
          d.topics.replan(d.book.entries());
          if (!d.polling()) await d.ctx.push.syncTopics();
        },
      });
      if (generation !== d.generation()) return { ok: false };
      this.syncedAt = result.startedAt;
      d.syncs.succeeded();
      d.gaps.cover(startEpoch);
      d.caughtUp(result.startedAt);
      return { ok: true, messages: result.messages };
    } catch (err) {
      if (generation !== d.generation()) return { ok: false };
      d.syncs.owe(full);
      d.restError(err, source === 'poll' ? 'polling' : 'backfilling');
      return { ok: false };
    }
  }

  private publishRoster(): void {
    const entries = this.d.book.entries();
    for (const e of entries) if (e.chat.kind === 'oneOnOne') this.d.senders.learn(e.chat.jid, e.chat.id);
    this.rosterPublished = true;
    this.d.roster(entries, { seed: this.syncedAt === undefined });
  }
}
