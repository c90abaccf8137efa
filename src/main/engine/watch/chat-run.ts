// What the parts of the chat source share: its context, its books, and questions about its run.
import type { SourceContext } from '../sources/source.ts';
import type { ChatTopics } from './chat-topics.ts';
import type { GapHold } from './gap-hold.ts';
import type { MessageMemory } from './message-memory.ts';
import type { RosterBook } from './roster-book.ts';
import type { SenderDirectory } from './senders.ts';
import type { SyncScheduler } from './sync-scheduler.ts';

export interface ChatRun {
  ctx: SourceContext;
  book: RosterBook;
  memory: MessageMemory;
  senders: SenderDirectory;
  /** Pushed events wait here while a gap is backfilled. */
  gaps: GapHold;
  syncs: SyncScheduler;
  topics: ChatTopics;
  log(message: string): void;
  /** Bumped by stop and restart: late work of an older run is dropped. */
  generation(): number;
  polling(): boolean;
  signedOut(): boolean;
  /** A REST read failed: a lost session stops the source, a network error shows it offline. */
  restError(err: unknown, what: string): void;
}
