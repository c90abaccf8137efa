// The chat source's topics: the plan for the roster (the user's badges, then the busiest rooms,
// within the channel's budget for chats) and what the subscription answers said of them. A newly
// Rejected room topic makes the plan try the room's other spelling.
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import type { WireStats } from '../../genesys/wire-stats.ts';
import type { WatchDiagnostics } from '../diagnostics.ts';
import { sameTopics } from '../push/topic-names.ts';
import type { PushPort } from '../sources/source.ts';
import { TopicStates } from './topic-states.ts';
import { planTopics, type TopicPlan } from './topics.ts';

export class ChatTopics {
  private readonly meId: string;
  private readonly push: Pick<PushPort, 'topicLimit' | 'syncTopics'>;
  private readonly wire: WireStats;
  private readonly states = new TopicStates();
  private current: TopicPlan = { topics: [], chats: new Map(), byChat: new Map(), overflow: 0 };
  /** The roster an earlier run left, planned from until a roster read replans (then forgotten). */
  private stored: readonly RosterEntry[] | null = null;

  constructor(meId: string, push: Pick<PushPort, 'topicLimit' | 'syncTopics'>, wire: WireStats) {
    this.meId = meId;
    this.push = push;
    this.wire = wire;
  }

  get plan(): TopicPlan {
    return this.current;
  }

  /** Plans the topics for the roster now known (read from Genesys). */
  replan(entries: readonly RosterEntry[]): void {
    this.stored = null;
    this.planFor(entries);
  }

  /**
   * Plans the topics for the roster an earlier run left (the store's), by the same rules, until the
   * first roster read replans: the first subscription then holds the rooms' topics. A room the user
   * has left meanwhile is Rejected like any refused topic, and the roster read drops it.
   */
  seed(entries: readonly RosterEntry[]): void {
    this.stored = entries;
    this.planFor(entries);
  }

  /**
   * A subscription answer: what it failed to say is counted; a newly Rejected room topic makes the
   * plan try the room's other spelling (its messages come by badge and backfill meanwhile). Until a
   * roster read, the plan stays the stored roster's (`entries()` is the book, still empty then).
   */
  noteAnswer(wanted: string[], listing: TopicListing, entries: () => RosterEntry[]): void {
    const { newlyRejected, missing } = this.states.note(wanted, listing);
    if (missing > 0)
      this.wire.surprise('push subscription answer: a requested topic not listed', { missing });
    if (!newlyRejected) return;
    this.planFor(this.stored ?? entries());
    if (!sameTopics(this.current.topics, wanted)) this.push.syncTopics().catch(() => {});
  }

  private planFor(entries: readonly RosterEntry[]): void {
    this.current = planTopics(this.meId, entries, this.states.rejected, this.push.topicLimit());
  }

  diagnostics(): WatchDiagnostics['topics'] {
    return this.states.diagnostics(this.current.overflow);
  }
}
