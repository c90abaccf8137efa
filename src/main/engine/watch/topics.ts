// Notification topic names, and the topic set a roster needs (badges first, busiest rooms next, ≤ 1000).
import type { ChatRef } from '../model.ts';
import type { RosterEntry } from '../../genesys/mappers.ts';

/** Genesys allows 1000 topics per channel. */
export const MAX_TOPICS = 1000;

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

/**
 * A topic with every part that could be an id replaced by `{id}`
 * (`v2.users.{id}.conversations`): what diagnostics and surprise kinds may say about a topic.
 */
export function topicTemplate(topic: string): string {
  const parts = topic.slice(0, 200).split('.');
  const out: string[] = [];
  let inJid = false;
  parts.forEach((part, i) => {
    // A jid's domain runs on after its `@`: everything up to the last part goes with it.
    inJid ||= part.includes('@');
    const word = /^(v\d{1,2}|[a-z][a-z_]{0,31})$/i.test(part) && !/^[a-f]{8,}$/i.test(part);
    const keep = word && !(inJid && i < parts.length - 1);
    const next = keep ? part : '{id}';
    if (!(next === '{id}' && out.at(-1) === '{id}')) out.push(next);
  });
  return out.join('.');
}

export interface TopicPlan {
  /** In priority order: the badge topic, then rooms by most recent activity. */
  topics: string[];
  /** Room topic → the chat its events belong to. */
  chats: Map<string, ChatRef>;
  /** Chat id → its room topic in this plan. */
  byChat: Map<string, string>;
  /** Rooms left out by the cap: their badges trigger a backfill instead. */
  overflow: number;
}

/**
 * The topics for `entries` (any order). Rooms beyond the cap are left to the badge topic. A room
 * whose documented topic was Rejected (`rejected`) gets its other spelling, while one is untried.
 */
export function planTopics(
  meId: string,
  entries: RosterEntry[],
  rejected: ReadonlySet<string> = new Set(),
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
    if (topics.length >= MAX_TOPICS) {
      overflow++;
      continue;
    }
    topics.push(topic);
    chats.set(topic, entry.chat);
    byChat.set(entry.chat.id, topic);
  }
  return { topics, chats, byChat, overflow };
}

export function sameTopics(a: Iterable<string>, b: Iterable<string>): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}
