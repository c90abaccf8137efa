// Notification topic names, and the topic set a roster needs (badges first, busiest rooms next, ≤ 1000).
import type { ChatRef } from '../model.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';

/** Genesys allows 1000 topics per channel. */
export const MAX_TOPICS = 1000;

const ROOM_TOPIC = /^v2\.detail\.events\.collaboratechat\.(group|adhoc)\.[^\s]+\.messages$/;
const BADGE_TOPIC = /^v2\.users\.[^.\s]+\.badges\.chats$/;

export function roomTopic(entry: RosterEntry): string | undefined {
  if (entry.chat.kind !== 'room' || !entry.room) return undefined;
  const ref = entry.room.id ?? entry.chat.jid;
  return ref ? `v2.detail.events.collaboratechat.${entry.room.type}.${ref}.messages` : undefined;
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

export interface TopicPlan {
  /** In priority order: the badge topic, then rooms by most recent activity. */
  topics: string[];
  /** Room topic → the chat its events belong to. */
  chats: Map<string, ChatRef>;
  /** Rooms left out by the cap: their badges trigger a backfill instead. */
  overflow: number;
}

/** The topics for `entries` (any order). Rooms beyond the cap are left to the badge topic. */
export function planTopics(meId: string, entries: RosterEntry[]): TopicPlan {
  const rooms = entries
    .filter((e) => e.chat.kind === 'room')
    .sort((a, b) => (b.lastMessageAt ?? -1) - (a.lastMessageAt ?? -1));
  const topics = [badgeTopic(meId)];
  const chats = new Map<string, ChatRef>();
  let overflow = 0;
  for (const entry of rooms) {
    const topic = roomTopic(entry);
    if (!topic || chats.has(topic)) continue;
    if (topics.length >= MAX_TOPICS) {
      overflow++;
      continue;
    }
    topics.push(topic);
    chats.set(topic, entry.chat);
  }
  return { topics, chats, overflow };
}

export function sameTopics(a: Iterable<string>, b: Iterable<string>): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}
