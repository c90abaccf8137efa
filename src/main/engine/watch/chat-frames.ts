// Reads the body of one pushed event on a chat topic (a room's messages, the user's chat badges)
// against the official models; never throws. A body that does not match becomes a `bad` frame
// carrying a surprise: a kind that names the topic family and the failing field (never an id or a
// value) and the parsed value, whose shape the caller counts and logs. A room event that cannot be
// read still names its topic, so the source can read that room over REST instead: a shape surprise
// costs latency, never a message.
import type { z } from 'zod';
import {
  BadgeBodyWire,
  ChatEventBodyWire,
  type ChatEventBodyWire as ChatEventBody,
} from '../../genesys/push-wire.ts';
import type { FrameSurprise } from '../push/frames.ts';
import { isBadgeTopic, isRoomTopic } from './topics.ts';

export type ChatFrame =
  | { kind: 'chat'; topic: string; body: ChatEventBody }
  | { kind: 'badge'; jid: string; unreadCount?: number }
  /** Unreadable. `chatTopic`: the room topic an unreadable chat event came on. */
  | { kind: 'bad'; surprise: FrameSurprise; chatTopic?: string };

/** The topic families the chat source owns: room messages and the user's chat badges. */
export function isChatTopic(topic: string): boolean {
  return isRoomTopic(topic) || isBadgeTopic(topic);
}

/** `topic` is one of the chat families (see isChatTopic). */
export function readChatFrame(topic: string, eventBody: unknown): ChatFrame {
  if (isRoomTopic(topic)) {
    const body = ChatEventBodyWire.safeParse(eventBody);
    if (!body.success)
      return {
        kind: 'bad',
        surprise: { kind: `push chat event: ${failureOf(body.error)}`, value: eventBody },
        chatTopic: topic,
      };
    return { kind: 'chat', topic, body: body.data };
  }
  const body = BadgeBodyWire.safeParse(eventBody);
  if (!body.success || !isBadgeTopic(topic))
    return {
      kind: 'bad',
      surprise: { kind: `push badge: ${body.success ? 'topic' : failureOf(body.error)}`, value: eventBody },
    };
  return {
    kind: 'badge',
    jid: body.data.entity.jabberId,
    ...(body.data.unreadCount !== undefined ? { unreadCount: body.data.unreadCount } : {}),
  };
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
