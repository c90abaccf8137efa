// The chat source's topic names, and the topic set a roster needs (badges first, busiest rooms
// next, within the budget the channel gives chats: ≤ 1000).
import type { ChatRef } from '../model.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';
import { MAX_TOPICS } from '../push/topic-names.ts';

const ROOM_TOPIC = /^v2\.detail\.events\.collaboratechat\.(group|adhoc)\.[^\s]+\.messages$/;
const BADGE_TOPIC = /^v2\.users\.[^.\s]+\.badges\.chats$/;

/**
 * The spellings of a room's message topic, the documented one first. `{id}` is `Room.id`: the
 * group's GUID for a group room, the room's jid for an adhoc room (.NET SDK `Room.md`). Should the
 * service want the other one after all, the second spelling is tried when the first is Rejected.
 */
export function roomTopicCandidates(entry: RosterEntry): string[] {
  if (entry.chat.kind !== 'room' || !entry.room) return [];
  const { type, id } = entry.room;
  const refs = type === 'adhoc' ? [entry.chat.jid, id] : [id, entry.chat.jid];
  const out: string[] = [];
  for (const ref of refs) {
    const topic = ref ? `v2.detail.events.collaboratechat.${type}.${ref}.messages` : undefined;
    if (topic && !out.includes(topic)) out.push(topic);
  }
  return out;
}

export function badgeTopic(userId: string): string {
  return `v2.users.${userId}.badges.chats`;
}

export function isRoomTopic(topic: string): boolean {
  return ROOM_TOPIC.test(topic);
}

export function isBadgeTopic(topic: string): boolean {
  return BADGE_TOPIC.test(topic);
}

export type TopicFamily = 'room' | 'badge' | 'other';

export function topicFamily(topic: string): TopicFamily {
  return isRoomTopic(topic) ? 'room' : isBadgeTopic(topic) ? 'badge' : 'other';
}

export interface TopicPlan {
  /** In priority order: the badge topic, then rooms by most recent activity. */
  topics: string[];
  /** Room topic → the chat its events belong to. */
  chats: Map<string, ChatRef>;
  /** Chat id → its room topic in this plan. */
  byChat: Map<string, string>;
  /** Rooms left out by the topic budget: their badges trigger a backfill instead. */
  overflow: number;
}

/**
 * The topics for `entries` (any order), at most `limit`. Rooms beyond it are left to the badge topic. A room
 * whose documented topic was Rejected (`rejected`) gets its other spelling, while one is untried.
 */
export function planTopics(
  meId: string,
  entries: readonly RosterEntry[],
  rejected: ReadonlySet<string> = new Set(),
  limit = MAX_TOPICS,
): TopicPlan {
  const rooms = entries
    .filter((e) => e.chat.kind === 'room')
    .sort((a, b) => (b.lastMessageAt ?? -1) - (a.lastMessageAt ?? -1));
  const topics = [badgeTopic(meId)];
  const chats = new Map<string, ChatRef>();
  const byChat = new Map<string, string>();
  let overflow = 0;
  for (const entry of rooms) {
    const candidates = roomTopicCandidates(entry);
    const topic = candidates.find((t) => !rejected.has(t)) ?? candidates[0];
    if (!topic || chats.has(topic)) continue;
    if (topics.length >= limit) {
      overflow++;
      continue;
    }
    topics.push(topic);
    chats.set(topic, entry.chat);
    byChat.set(entry.chat.id, topic);
  }
  return { topics, chats, byChat, overflow };
}
