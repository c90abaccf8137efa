// Reads the envelope of one untrusted notification-socket frame; never throws. Channel frames
// (heartbeats, system notices, a 404) are the channel's; an event on a topic keeps its body unread,
// for the source that owns the topic's family (sources/push-hub.ts routes it there). A frame that is
// not a notification at all becomes a `bad` frame carrying a surprise: a kind (never an id or a
// value) and the parsed value, whose shape the caller counts and logs.
import { NotificationFrameWire } from '../../genesys/push-wire.ts';

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
  /** An event on a topic: routed to the source that owns the topic's family, which reads `body`. */
  | { kind: 'topic'; topic: string; body: unknown }
  /** Not a notification at all (binary, too large, not JSON, no topic). */
  | { kind: 'bad'; surprise: FrameSurprise };

function bad(kind: string, value: unknown): PushFrame {
  return { kind: 'bad', surprise: { kind, value } };
}

/** Reads a frame's envelope; the event body stays unread (`unknown`) for its source. */
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
  return { kind: 'topic', topic: topicName, body: eventBody };
}

function systemNotice(topic: string): SystemNotice {
  if (topic.startsWith('v2.system.no_longer_subscribed')) return 'no_longer_subscribed';
  if (topic.startsWith('v2.system.token_revoked')) return 'token_revoked';
  return 'other';
}
