// Notification topic names: parsing, per-user authorization, and the topics a chat event goes to.
import type { RoomRecord } from '../model.ts';
import type { ChatStore } from '../store.ts';

const ROOM_TOPIC = /^v2\.detail\.events\.collaboratechat\.(group|adhoc)\.(.+)\.messages$/;
const BADGE_TOPIC = /^v2\.users\.([^.]+)\.badges\.chats$/;

export type ParsedTopic =
  | { kind: 'room'; roomType: 'group' | 'adhoc'; ref: string }
  | { kind: 'badges'; userId: string }
  | { kind: 'unknown' };

export function parseTopic(topic: string): ParsedTopic {
  const room = ROOM_TOPIC.exec(topic);
  if (room) return { kind: 'room', roomType: room[1] as 'group' | 'adhoc', ref: room[2] as string };
  const badge = BADGE_TOPIC.exec(topic);
  if (badge) return { kind: 'badges', userId: badge[1] as string };
  return { kind: 'unknown' };
}

/**
 * Why `userId` may not subscribe to `topic`, or null when it may. Room topics name the room by id or
 * by jid (which one Genesys uses is unconfirmed, so both are accepted) and need the matching room
 * type and membership; badge topics are only for the caller's own user id.
 */
export function topicRejection(store: ChatStore, userId: string | null, topic: string): string | null {
  const parsed = parseTopic(topic);
  if (parsed.kind === 'unknown') return 'unsupported topic';
  if (userId === null) return 'requires a user token';
  if (parsed.kind === 'badges') return parsed.userId === userId ? null : 'not your user id';
  const room = store.findRoom(parsed.ref);
  if (!room) return 'unknown room';
  if (room.roomType !== parsed.roomType) return `room is ${room.roomType}, not ${parsed.roomType}`;
  if (!room.participants.has(userId)) return 'not a participant of the room';
  return null;
}

/** Both spellings of a room's message topic (by id and by jid). */
export function roomTopics(room: RoomRecord): string[] {
  const prefix = `v2.detail.events.collaboratechat.${room.roomType}.`;
  return [`${prefix}${room.id}.messages`, `${prefix}${room.jid}.messages`];
}

export function badgeTopic(userId: string): string {
  return `v2.users.${userId}.badges.chats`;
}
