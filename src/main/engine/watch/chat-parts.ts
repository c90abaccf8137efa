// What the chat source is made of, wired together: its books (roster, message memory, senders),
// its topics, the gap hold and sync scheduler, the REST catch-up, the push reader, the polling
// fallback and the clock watch. The source (chat-source.ts) drives them through its lifecycle.
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { SourceContext } from '../sources/source.ts';
import { ChatCatchUp } from './chat-catch-up.ts';
import { ChatPushReader } from './chat-push.ts';
import type { ChatRun } from './chat-run.ts';
import { ChatTopics } from './chat-topics.ts';
import { ClockWatch } from './clock-watch.ts';
import { GapHold } from './gap-hold.ts';
import { MessageMemory } from './message-memory.ts';
import { PollFallback } from './poll-fallback.ts';
import { RosterBook } from './roster-book.ts';
import { SenderDirectory } from './senders.ts';
import { SyncScheduler } from './sync-scheduler.ts';
import type { RosterInfo, WatchBatch } from './types.ts';

export interface ChatSourceOptions {
  /** Monotonic clock for the sleep detector (default performance.now). */
  monotonic?(): number;
  random?(): number;
}

/** What the parts ask of the source. */
export interface ChatHooks {
  /** Running and signed in. */
  active(): boolean;
  signedOut(): boolean;
  generation(): number;
  batch(batch: WatchBatch): void;
  roster(entries: RosterEntry[], info: RosterInfo): void;
  /** A sync completed (it started reading at `at`). */
  caughtUp(at: number): void;
  restError(err: unknown, what: string): void;
  clockJump(): void;
}

export interface ChatParts {
  book: RosterBook;
  memory: MessageMemory;
  senders: SenderDirectory;
  topics: ChatTopics;
  fallback: PollFallback;
  gaps: GapHold;
  syncs: SyncScheduler;
  catchUp: ChatCatchUp;
  reader: ChatPushReader;
  clock: ClockWatch;
}

export function chatParts(deps: SourceContext, opts: ChatSourceOptions, h: ChatHooks): ChatParts {
  const random = opts.random ?? Math.random;
  const { log, now, timings } = deps;
  const topics = new ChatTopics(deps.me.id, deps.push, deps.wireStats);
  const fallback: PollFallback = new PollFallback({
    timings,
    push: deps.push,
    tick: () => catchUp.sync('poll'),
    active: h.active,
    log,
    now,
    random,
  });
  const gaps = new GapHold({ emit: h.batch, log });
  const syncs = new SyncScheduler({
    timings,
    random,
    active: h.active,
    polling: () => fallback.polling,
    kickPoll: () => fallback.kick(),
    run: () => {
      const generation = h.generation();
      return catchUp.sync('backfill').then((r) => (generation === h.generation() ? r.ok : null));
    },
  });
  const run: ChatRun = {
    ctx: deps,
    book: new RosterBook(),
    memory: new MessageMemory(2000, deps.me.id),
    senders: new SenderDirectory(deps.api, deps.me),
    gaps,
    syncs,
    topics,
    log,
    generation: h.generation,
    polling: () => fallback.polling,
    signedOut: h.signedOut,
    restError: h.restError,
  };
  const catchUp: ChatCatchUp = new ChatCatchUp({
    ...run,
    emit: (batch) => {
      if (h.active()) h.batch(batch);
    },
    roster: h.roster,
    caughtUp: h.caughtUp,
  });
  const reader = new ChatPushReader({
    ...run,
    readNextSync: (chat) => catchUp.readNextSync(chat),
    readChat: (chat) => catchUp.readChat(chat),
  });
  const clock = new ClockWatch({
    checkMs: timings.clockCheckMs,
    jumpMs: timings.clockJumpMs,
    onJump: (detail) => {
      log(`clock jump: ${detail}`);
      h.clockJump();
    },
    now,
    ...(opts.monotonic ? { monotonic: opts.monotonic } : {}),
  });
  const { book, memory, senders } = run;
  return { book, memory, senders, topics, fallback, gaps, syncs, catchUp, reader, clock };
}
