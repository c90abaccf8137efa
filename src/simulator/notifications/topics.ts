// Notification topic names: parsing, per-user authorization, and the topic a chat event goes to.
import type { RoomRecord } from '../model.ts';
import { roomTopicId } from '../serialize.ts';
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

export interface Rejection {
  reason: string;
  missingPermissions?: string[];
}

/**
 * Why `userId` may not subscribe to `topic`, or null when it may. A room topic names the room by
 * `Room.id` only (the group's id, an adhoc room's jid: the documented form; the other spelling is
 * Rejected, as a strict service would), with the matching room type and membership; `refused`
 * rooms (a fault the control interface injects) are Rejected for a missing permission. Badge topics
 * are only for the caller's own user id. Reasons never name the room or the user.
 */
export function topicRejection(
  store: ChatStore,
  userId: string | null,
  topic: string,
  refused: ReadonlyMap<string, string> = new Map(),
): Rejection | null {
  const parsed = parseTopic(topic);
  if (parsed.kind === 'unknown') return { reason: 'Unsupported topic' };
  if (userId === null) return { reason: 'Requires a user token' };
  if (parsed.kind === 'badges') return parsed.userId === userId ? null : { reason: 'Not your user id' };
  const room = store.findRoom(parsed.ref);
  if (!room) return { reason: 'Unknown room' };
  if (room.roomType !== parsed.roomType) return { reason: `The room is not ${parsed.roomType}` };
  if (parsed.ref !== roomTopicId(room)) {
    return {
      reason:
        room.roomType === 'adhoc'
          ? 'An adhoc room topic names the room by its jid'
          : 'A group room topic names the group by its id',
    };
  }
  if (!room.participants.has(userId)) return { reason: 'Not a participant of the room' };
  const refusal = refused.get(room.id);
  if (refusal !== undefined) return { reason: refusal, missingPermissions: ['chat:chat:access'] };
  return null;
}

/** A room's message topic, in the documented form. */
export function roomTopic(room: RoomRecord): string {
  return `v2.detail.events.collaboratechat.${room.roomType}.${roomTopicId(room)}.messages`;
}

export function badgeTopic(userId: string): string {
  return `v2.users.${userId}.badges.chats`;
}
