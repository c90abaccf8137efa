// Reads one untrusted notification-socket frame into what the watcher acts on; never throws.
import {
  BadgeBodyWire,
  ChatEventBodyWire,
  NotificationFrameWire,
  type ChatEventBodyWire as ChatEventBody,
} from '../../genesys/push-wire.ts';
import { isBadgeTopic, isRoomTopic } from './topics.ts';

/** Frames larger than this are ignored unread (Genesys frames are a few kB at most). */
export const MAX_FRAME_CHARS = 512 * 1024;

export type PushFrame =
  /** Heartbeats, pongs and other channel metadata: proof of life, nothing else. */
  | { kind: 'alive' }
  /** `{"result":"404"}`: the channel is gone (expired, evicted, token ended). */
  | { kind: 'gone' }
  /** `v2.system.socket_closing`: the server closes this socket soon. */
  | { kind: 'closing' }
  /** `v2.system.no_longer_subscribed` / `token_revoked` and other system notices. */
  | { kind: 'system'; topic: string }
  | { kind: 'chat'; topic: string; body: ChatEventBody }
  | { kind: 'badge'; jid: string; unreadCount?: number }
  /** Unreadable or unexpected: logged by the caller, otherwise ignored. */
  | { kind: 'bad'; why: string };

export function parseFrame(data: unknown): PushFrame {
  if (typeof data !== 'string') return { kind: 'bad', why: 'binary frame' };
  if (data.length > MAX_FRAME_CHARS) return { kind: 'bad', why: `frame of ${data.length} chars` };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { kind: 'bad', why: 'frame is not JSON' };
  }
  const frame = NotificationFrameWire.safeParse(json);
  if (!frame.success) return { kind: 'bad', why: 'frame is not a notification' };
  const { topicName, eventBody, result } = frame.data;
  if (result !== undefined)
    return result === '404' ? { kind: 'gone' } : { kind: 'bad', why: `result ${result}` };
  if (topicName === undefined) return { kind: 'bad', why: 'frame without a topic' };
  if (topicName === 'channel.metadata') return { kind: 'alive' };
  if (topicName === 'v2.system.socket_closing') return { kind: 'closing' };
  if (topicName.startsWith('v2.system.')) return { kind: 'system', topic: topicName };
  if (isRoomTopic(topicName)) {
    const body = ChatEventBodyWire.safeParse(eventBody);
    if (!body.success) return { kind: 'bad', why: `unreadable chat event on ${topicName}` };
    return { kind: 'chat', topic: topicName, body: body.data };
  }
  if (isBadgeTopic(topicName)) {
    const body = BadgeBodyWire.safeParse(eventBody);
    if (!body.success) return { kind: 'bad', why: 'unreadable badge event' };
    return {
      kind: 'badge',
      jid: body.data.entity.jabberId,
      ...(body.data.unreadCount !== undefined ? { unreadCount: body.data.unreadCount } : {}),
    };
  }
  return { kind: 'bad', why: `unexpected topic ${topicName.slice(0, 120)}` };
}
