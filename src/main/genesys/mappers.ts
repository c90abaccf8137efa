// Maps validated Genesys wire models into the engine's own types. Nothing outside src/main/genesys
// sees a wire model.
import type { ChatKind, ChatMessage, ChatRef, Reactions } from '../engine/model.ts';
import type { ChatEventBodyWire } from './push-wire.ts';
import type { ChatItemWire, ChatMessageWire } from './wire.ts';

export interface RosterEntry {
  chat: ChatRef;
  /** For rooms: what the chat topic needs (the room's id and whether it is a group or ad-hoc room). */
  room?: { id?: string; type: 'group' | 'adhoc' };
  /** Epoch ms of the chat's newest message, when the roster says. */
  lastMessageAt?: number;
  open: boolean;
}

/** A roster item becomes a chat: rooms are keyed by jid (their API paths take it), 1on1s by the other user's id. */
export function toRosterEntry(item: ChatItemWire): RosterEntry | null {
  const lastMessageAt = parseDate(item.dateLastMessage);
  const extra = { ...(lastMessageAt !== undefined ? { lastMessageAt } : {}), open: item.open !== false };
  if (item.room?.jid) {
    const name = item.room.name ?? item.room.subject ?? item.name ?? 'Room';
    const type = item.room.roomType === 'adhoc' || item.room.jid.startsWith('adhoc-') ? 'adhoc' : 'group';
    return {
      chat: { id: item.room.jid, kind: 'room', jid: item.room.jid, name },
      room: { ...(item.room.id ? { id: item.room.id } : {}), type },
      ...extra,
    };
  }
  if (item.user?.id) {
    const name = item.user.name ?? item.name ?? 'Direct message';
    return {
      chat: { id: item.user.id, kind: 'oneOnOne', jid: item.user.jid ?? item.id ?? '', name },
      ...extra,
    };
  }
  return null;
}

export function toMessage(wire: ChatMessageWire, chat: { id: string; kind: ChatKind }): ChatMessage | null {
  const createdAt = parseDate(wire.dateCreated);
  const senderId = wire.user?.id;
  if (createdAt === undefined || !senderId) return null;
  const editedAt = wire.edited ? parseDate(wire.dateModified) : undefined;
  const threadId = wire.parentThread?.id;
  return {
    id: wire.id,
    chatId: chat.id,
    chatKind: chat.kind,
    senderId,
    body: wire.body,
    createdAt,
    ...(editedAt !== undefined ? { editedAt } : {}),
    ...(threadId ? { threadId } : {}),
    // The map's key/value meaning is undocumented (id → jid here): keep both, the rules accept either.
    mentions: unique([...Object.keys(wire.mentions ?? {}), ...Object.values(wire.mentions ?? {})]),
    notifyAll: mentionsEveryone(wire.body),
    reactions: Object.fromEntries(
      (wire.reactions ?? []).map((r) => [r.emoji, r.users.map((u) => u.id).filter((x): x is string => !!x)]),
    ),
  };
}

/** A push event becomes a message, given who sent it (the event names only the sender's jid). */
export function eventToMessage(
  body: ChatEventBodyWire,
  chat: { id: string; kind: ChatKind },
  senderId: string,
): ChatMessage | null {
  const createdAt = parseDate(body.created);
  if (createdAt === undefined) return null;
  return {
    id: body.messageId,
    chatId: chat.id,
    chatKind: chat.kind,
    senderId,
    body: body.body ?? '',
    createdAt,
    mentions: unique(
      (body.mentions ?? []).flatMap((m) => [m.entityId, m.entityJid]).filter((x): x is string => !!x),
    ),
    notifyAll: body.notifyAll ?? mentionsEveryone(body.body ?? ''),
    reactions: body.reactions ?? {},
  };
}

export function reactionsEqual(a: Reactions, b: Reactions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = [...(a[k] ?? [])].sort();
    const y = [...(b[k] ?? [])].sort();
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

export function mentionsEveryone(body: string): boolean {
  return /(^|[^\w@])@(all|here)\b/i.test(body);
}

export function parseDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
