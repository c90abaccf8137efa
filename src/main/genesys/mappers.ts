// Maps validated Genesys wire models into the engine's own types. Nothing outside src/main/genesys
// sees a wire model.
import type { ChatKind, ChatMessage, ChatRef, Reactions } from '../engine/model.ts';
import type { ChatEventBodyWire } from './push-wire.ts';
import { CHAT_TYPES, type ChatItemWire, type ChatMessageWire } from './wire.ts';

export interface RosterEntry {
  chat: ChatRef;
  /**
   * For rooms with a message topic (group and adhoc rooms): what the topic needs, the room's id
   * (`Room.id`: the group's id, or the adhoc room's jid) and its type. Rooms of other types (acd,
   * supervisorAssistance, an unknown type) have none: their badges lead to a backfill instead.
   */
  room?: { id?: string; type: 'group' | 'adhoc' };
  /** Epoch ms of the chat's newest message, when the roster says. */
  lastMessageAt?: number;
  open: boolean;
}

/** Something a roster item or message said that the app does not know (counted, never silent). */
export type Oddity = (what: string, value: unknown) => void;

/**
 * A roster item becomes a chat: rooms are keyed by jid (their API paths take it), 1on1s by the other
 * user's id. `ChatItem.id` is the item's own identifier and is never taken for a jid.
 */
export function toRosterEntry(item: ChatItemWire, odd: Oddity = () => {}): RosterEntry | null {
  const lastMessageAt = parseDate(item.dateLastMessage);
  const extra = { ...(lastMessageAt !== undefined ? { lastMessageAt } : {}), open: item.open !== false };
  if (item.chatType && !(CHAT_TYPES as readonly string[]).includes(item.chatType))
    odd('ChatItem.chatType', item.chatType);
  if (item.room?.jid) {
    const name = item.room.name || item.room.subject || item.name || 'Room';
    const type = topicType(item.room.roomType ?? item.chatType ?? undefined, item.room.jid, odd);
    return {
      chat: { id: item.room.jid, kind: 'room', jid: item.room.jid, name },
      ...(type ? { room: { ...(item.room.id ? { id: item.room.id } : {}), type } } : {}),
      ...extra,
    };
  }
  if (item.user?.id) {
    const name = item.user.name || item.name || 'Direct message';
    return { chat: { id: item.user.id, kind: 'oneOnOne', jid: item.user.jid ?? '', name }, ...extra };
  }
  odd('ChatItem without room.jid or user.id', item);
  return null;
}

/** The message topic's room type: group or adhoc; none for the types that have no topic. */
function topicType(type: string | undefined, jid: string, odd: Oddity): 'group' | 'adhoc' | undefined {
  if (type === 'group' || type === 'adhoc') return type;
  if (type === 'acd' || type === 'supervisorAssistance') return undefined;
  if (type !== undefined && type !== 'oneOnOne') {
    odd('Room.roomType', type);
    return undefined;
  }
  // No type at all: adhoc rooms are the ones whose jid says so.
  return jid.startsWith('adhoc-') ? 'adhoc' : 'group';
}

export interface MessageContext {
  id: string;
  kind: ChatKind;
  /** User ids behind jids, for messages without `user` (integrations, webhooks). */
  userIdOfJid?: (jid: string) => string | undefined;
}

/**
 * A history message becomes the app's message. Without `user` (an integration) the sender is taken
 * from `jid`: the user it belongs to when known, else the jid itself (never the signed-in user).
 */
export function toMessage(wire: ChatMessageWire, chat: MessageContext): ChatMessage | null {
  const createdAt = parseDate(wire.dateCreated);
  const senderId = wire.user?.id || (wire.jid ? (chat.userIdOfJid?.(wire.jid) ?? wire.jid) : undefined);
  if (createdAt === undefined || !senderId) return null;
  const editedAt = wire.edited ? parseDate(wire.dateModified) : undefined;
  const threadId = wire.parentThread?.id;
  const body = wire.body ?? '';
  const message: ChatMessage = {
    id: wire.id,
    chatId: chat.id,
    chatKind: chat.kind,
    senderId,
    body,
    createdAt,
    mentions: historyMentions(wire.mentions, body),
    notifyAll: mentionsEveryone(body),
    reactions: historyReactions(wire.reactions),
  };
  if (editedAt !== undefined) message.editedAt = editedAt;
  if (threadId) message.threadId = threadId;
  return message;
}

/**
 * The map's key/value meaning is undocumented (id → jid, or jid → id): keep both, the rules accept
 * either; mentions written into the body as markup count too. (A catch-up maps thousands of
 * messages, most without mentions or reactions: those allocate nothing here.)
 */
function historyMentions(map: ChatMessageWire['mentions'], body: string): string[] {
  const markup = markupMentions(body);
  if (!map && markup.length === 0) return [];
  const all: string[] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    all.push(k);
    if (v) all.push(v);
  }
  return unique([...all, ...markup]);
}

function historyReactions(reactions: ChatMessageWire['reactions']): Reactions {
  if (!reactions?.length) return {};
  // fromEntries defines own properties: an emoji named `__proto__` stays a key, not a prototype.
  return Object.fromEntries(
    reactions.map((r) => [r.emoji, (r.users ?? []).flatMap((u) => (u?.id ? [u.id] : []))]),
  );
}

/**
 * User ids named by mention markup in a body: `[@Name](#/person/<id>)` (older Genesys clients
 * write mentions this way; the renderer shows them as mentions).
 */
export function markupMentions(body: string): string[] {
  if (!body.includes('#/person/')) return [];
  const out: string[] = [];
  for (const m of body.matchAll(/\]\(#\/person\/([A-Za-z0-9._@-]{1,256})\)/g)) out.push(m[1]!);
  return out;
}

/** Mentioned user ids fit to send back (an edit repeats them): jids, which contain `@`, are left out. */
export function mentionIds(mentions: readonly string[]): string[] {
  return unique(mentions.filter((m) => !m.includes('@')));
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
    mentions: unique([
      ...(body.mentions ?? []).flatMap((m) => [m.entityId, m.entityJid]).filter((x): x is string => !!x),
      ...markupMentions(body.body ?? ''),
    ]),
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

export function parseDate(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
