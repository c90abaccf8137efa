// Reads one untrusted notification-socket frame into what the watcher acts on; never throws. A frame
// that does not match the official models becomes a `bad` frame carrying a surprise: a kind that
// names the topic family and the failure (never an id or a value) and the parsed value, whose shape
// the caller counts and logs. A chat event that cannot be read still names its topic, so the watcher
// can read that chat over REST instead: a shape surprise costs latency, never a message.
import type { z } from 'zod';
import {
  BadgeBodyWire,
  ChatEventBodyWire,
  NotificationFrameWire,
  type ChatEventBodyWire as ChatEventBody,
} from '../../genesys/push-wire.ts';
import { isBadgeTopic, isRoomTopic, topicTemplate } from './topics.ts';

/** Frames larger than this are ignored unread (Genesys frames are a few kB at most). */
export const MAX_FRAME_CHARS = 512 * 1024;

export type SystemNotice = 'no_longer_subscribed' | 'token_revoked' | 'other';

export interface FrameSurprise {
  /** For example `push chat event: from invalid_type`; no id, no value. */
  kind: string;
  /** What arrived (its shape is what gets counted and logged, never the value). */
  value: unknown;
}

export type PushFrame =
  /** Heartbeats, pongs and other channel metadata: proof of life, nothing else. */
  | { kind: 'alive' }
  /** `{"result":"404"}`: the channel is gone (expired, evicted, token ended). */
  | { kind: 'gone' }
  /** `v2.system.socket_closing`: the server closes this socket soon. */
  | { kind: 'closing' }
  /** `v2.system.no_longer_subscribed.{id}`, `v2.system.token_revoked.{id}` and other system notices. */
  | { kind: 'system'; notice: SystemNotice }
  | { kind: 'chat'; topic: string; body: ChatEventBody }
  | { kind: 'badge'; jid: string; unreadCount?: number }
  /** Unreadable or unexpected. `chatTopic`: the room topic an unreadable chat event came on. */
  | { kind: 'bad'; surprise: FrameSurprise; chatTopic?: string };

function bad(kind: string, value: unknown, chatTopic?: string): PushFrame {
  return { kind: 'bad', surprise: { kind, value }, ...(chatTopic ? { chatTopic } : {}) };
}

export function parseFrame(data: unknown): PushFrame {
  if (typeof data !== 'string') return bad('push frame: binary', undefined);
  if (data.length > MAX_FRAME_CHARS) return bad('push frame: too large', data.length);
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return bad('push frame: not JSON', 'text');
  }
  const frame = NotificationFrameWire.safeParse(json);
  if (!frame.success || typeof json !== 'object' || json === null || Array.isArray(json))
    return bad('push frame: not a notification', json);
  const { topicName, eventBody, result } = frame.data;
  if (result !== undefined)
    return String(result) === '404' ? { kind: 'gone' } : bad('push frame: a result other than 404', json);
  if (topicName === undefined) return bad('push frame: no topicName', json);
  if (topicName === 'channel.metadata') return { kind: 'alive' };
  if (topicName === 'v2.system.socket_closing') return { kind: 'closing' };
  if (topicName.startsWith('v2.system.')) return { kind: 'system', notice: systemNotice(topicName) };
  if (isRoomTopic(topicName)) {
    const body = ChatEventBodyWire.safeParse(eventBody);
    if (!body.success) return bad(`push chat event: ${failureOf(body.error)}`, eventBody, topicName);
    return { kind: 'chat', topic: topicName, body: body.data };
  }
  if (isBadgeTopic(topicName)) {
    const body = BadgeBodyWire.safeParse(eventBody);
    if (!body.success) return bad(`push badge: ${failureOf(body.error)}`, eventBody);
    return {
      kind: 'badge',
      jid: body.data.entity.jabberId,
      ...(body.data.unreadCount !== undefined ? { unreadCount: body.data.unreadCount } : {}),
    };
  }
  return bad(`push: a topic of an unknown family (${topicTemplate(topicName)})`, eventBody);
}

function systemNotice(topic: string): SystemNotice {
  if (topic.startsWith('v2.system.no_longer_subscribed')) return 'no_longer_subscribed';
  if (topic.startsWith('v2.system.token_revoked')) return 'token_revoked';
  return 'other';
}

/**
 * The first validation failure as `<field path> <code>`: field names of the model only (array
 * indexes become `[]`, map keys `<key>`), so no id or value can reach the kind.
 */
export function failureOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  let path = '';
  for (const part of issue.path) {
    if (typeof part === 'number') path += '[]';
    else {
      const name = String(part);
      path += `${path ? '.' : ''}${/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) && !/\d{4}|[0-9a-f]{12}/i.test(name) ? name : '<key>'}`;
    }
  }
  return `${path || 'body'} ${issue.code}`;
}
