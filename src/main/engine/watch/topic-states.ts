// What the server said of each topic the watcher asked for (`ChannelTopic.state` of the last
// subscription answer): the topics Rejected so far (so a room's other topic spelling can be tried),
// and the counts and reasons diagnostics show. A topic the answer does not list, or lists without a
// documented state, is Unconfirmed: not subscribed, so its room stays on the badge-and-backfill path.
import type { TopicListing, TopicStateName } from '../../genesys/push-wire.ts';
import { safePermission, scrubReason, type TopicCounts, type WatchDiagnostics } from '../diagnostics.ts';
import { topicFamily } from './topics.ts';

const MAX_REJECTED = 5_000;

export class TopicStates {
  private wanted: string[] = [];
  private readonly byTopic = new Map<
    string,
    { state: TopicStateName; reason?: string; permissions?: string[] }
  >();
  /** Topics the server Rejected in this session (bounded): their rooms try the other spelling. */
  readonly rejected = new Set<string>();

  /**
   * Takes in one subscription answer for `wanted`. Returns whether a topic was Rejected that had
   * not been before (then the plan may pick other spellings) and what in the answer was a surprise.
   */
  note(wanted: string[], listing: TopicListing): { newlyRejected: boolean; missing: number } {
    this.wanted = wanted;
    this.byTopic.clear();
    for (const t of listing.topics)
      this.byTopic.set(t.id, {
        state: t.state,
        ...(t.rejectionReason ? { reason: t.rejectionReason } : {}),
        ...(t.missingPermissions ? { permissions: t.missingPermissions } : {}),
      });
    let newlyRejected = false;
    let missing = 0;
    for (const topic of wanted) {
      const state = this.byTopic.get(topic)?.state;
      if (state === undefined) missing++;
      if (state !== 'Rejected' || this.rejected.has(topic)) continue;
      if (this.rejected.size >= MAX_REJECTED) this.rejected.clear();
      this.rejected.add(topic);
      newlyRejected = true;
    }
    return { newlyRejected, missing };
  }

  stateOf(topic: string): TopicStateName {
    return this.byTopic.get(topic)?.state ?? 'Unconfirmed';
  }

  clear(): void {
    this.wanted = [];
    this.byTopic.clear();
    this.rejected.clear();
  }

  diagnostics(overflow: number): WatchDiagnostics['topics'] {
    const byFamily: Record<string, TopicCounts> = {};
    const reasons = new Map<string, number>();
    const permissions = new Set<string>();
    for (const topic of this.wanted) {
      const family = topicFamily(topic);
      const counts = (byFamily[family] ??= { Permitted: 0, Rejected: 0, Unconfirmed: 0 });
      const known = this.byTopic.get(topic);
      counts[known?.state ?? 'Unconfirmed']++;
      if (known?.reason) {
        const reason = scrubReason(known.reason);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      for (const p of known?.permissions ?? []) {
        const safe = safePermission(p);
        if (safe && permissions.size < 20) permissions.add(safe);
      }
    }
    return {
      requested: this.wanted.length,
      byFamily,
      overflow,
      rejectionReasons: [...reasons]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 10),
      missingPermissions: [...permissions],
    };
  }
}
