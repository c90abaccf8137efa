// Converts internal records into the JSON shapes the Genesys API returns.
import { createHash } from 'node:crypto';
import { iso } from './clock.ts';
import type { ChatRecord, MessageRecord, RoomRecord, UserRecord } from './model.ts';
import type { ChatStore, MessageAction } from './store.ts';
import { notifyAll } from './store.ts';
import type {
  ChatItem,
  ChatMessage,
  ChatMessageEvent,
  ChatReaction,
  ChatEntity,
  ChatUserRef,
  EntityRef,
  GenesysUser,
  Room,
  SimUser,
} from './types.ts';

export const userUri = (id: string): string => `/api/v2/users/${id}`;
export const messageUri = (id: string): string => `/api/v2/chats/messages/${id}`;
export const roomUri = (jid: string): string => `/api/v2/chats/rooms/${jid}`;

const DIVISION = { id: '00000000-0000-4000-8000-000000000001', name: 'Home', selfUri: '' };
DIVISION.selfUri = `/api/v2/authorization/divisions/${DIVISION.id}`;

export function userRef(id: string): EntityRef {
  return { id, selfUri: userUri(id) };
}

export function simUser(user: UserRecord): SimUser {
  const { id, name, email, title, department, jid } = user;
  return { id, name, email, title, department, jid };
}

export function userJson(user: UserRecord): GenesysUser {
  return {
    id: user.id,
    name: user.name,
    division: { ...DIVISION },
    chat: { jabberId: user.jid },
    department: user.department,
    email: user.email,
    primaryContactInfo: [{ address: user.email, mediaType: 'EMAIL', type: 'PRIMARY' }],
    addresses: [],
    state: 'active',
    title: user.title,
    username: user.email,
    images: [],
    version: 1,
    acdAutoAnswer: false,
    selfUri: userUri(user.id),
  };
}

export function reactionsJson(message: MessageRecord): ChatReaction[] | undefined {
  if (!message.reactions) return undefined;
  return [...message.reactions].map(([emoji, users]) => ({ emoji, users: users.map((id) => userRef(id)) }));
}

/**
 * `mentions` is a map in the SDK model; the simulator keys it by mentioned user id with that
 * user's jid as the value (the real key/value choice is not documented).
 */
export function mentionsJson(store: ChatStore, message: MessageRecord): Record<string, string> | undefined {
  if (message.mentions.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const id of message.mentions) out[id] = store.user(id)?.jid ?? '';
  return out;
}

/**
 * `ChatMessageResponse`. With `excludeMetadata` the optional metadata (mentions and reactions) is
 * left out; what Genesys counts as metadata is not documented.
 */
export function messageJson(store: ChatStore, message: MessageRecord, excludeMetadata = false): ChatMessage {
  const sender = store.user(message.senderId);
  const out: ChatMessage = {
    id: message.id,
    dateCreated: iso(message.dateMs),
    toJid: store.toJid(message),
    jid: sender?.jid ?? '',
    body: message.body,
    thread: { id: message.threadId },
    user: userRef(message.senderId),
  };
  if (message.modifiedMs !== undefined) {
    out.dateModified = iso(message.modifiedMs);
    out.edited = true;
  }
  if (message.threadId !== message.id) out.parentThread = { id: message.threadId };
  if (message.chat.kind === 'direct') out.toUser = userRef(store.otherUser(message.chat, message.senderId));
  if (!excludeMetadata) {
    const mentions = mentionsJson(store, message);
    if (mentions) out.mentions = mentions;
    const reactions = reactionsJson(message);
    if (reactions) out.reactions = reactions;
  }
  return out;
}

/** `Room`. Its `id` is the group's id for a group room and the room's jid for an adhoc room (.NET SDK Room.md). */
export function roomJson(room: RoomRecord, includeOwners = true): Room {
  const out: Room = {
    id: room.roomType === 'adhoc' ? room.jid : room.id,
    name: room.name,
    dateCreated: iso(room.createdMs),
    roomType: room.roomType,
    description: room.description,
    subject: room.subject,
    participantLimit: 1000,
    pinnedMessages: room.pins.map((id) => ({ id, selfUri: messageUri(id) })),
    jid: room.jid,
    selfUri: roomUri(room.jid),
  };
  if (includeOwners) out.owners = room.owners.map((id) => userRef(id));
  return out;
}

export function chatUserRef(store: ChatStore, user: UserRecord, includePresence: boolean): ChatUserRef {
  const out: ChatUserRef = { id: user.id, name: user.name, jid: user.jid, selfUri: userUri(user.id) };
  if (includePresence) {
    out.presence = {
      source: 'PURECLOUD',
      systemPresence: user.presence,
      dateModified: iso(store.clock.now() - 3_600_000),
    };
    if (user.presenceMessage) out.presence.message = user.presenceMessage;
  }
  return out;
}

export interface ChatItemOptions {
  includePresence: boolean;
  includeRoomOwners: boolean;
}

/**
 * `ChatItem.id`: the item's own identifier (a GUID, never a jid), stable per chat. Derived from the
 * chat's key rather than drawn from the seeded generator, so every other seeded id stays as it was.
 */
export function chatItemId(chatKey: string): string {
  const hex = createHash('sha256').update(`chat-item:${chatKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A roster entry (`ChatItem`): `chatType` is the room's type (`group`, `adhoc`) or `oneOnOne`,
 * as the SDKs enumerate them; `id` is the item's own identifier.
 */
export function chatItemJson(
  store: ChatStore,
  chat: ChatRecord,
  viewerId: string,
  options: ChatItemOptions,
): ChatItem {
  if (chat.kind === 'room') {
    const item: ChatItem = {
      id: chatItemId(chat.key),
      name: chat.name,
      open: true,
      room: roomJson(chat, options.includeRoomOwners),
      chatType: chat.roomType,
      selfUri: roomUri(chat.jid),
    };
    if (chat.lastMessageMs !== undefined) item.dateLastMessage = iso(chat.lastMessageMs);
    return item;
  }
  const other = store.requireUser(store.otherUser(chat, viewerId));
  const closedMs = store.dateClosed(viewerId, chat);
  const item: ChatItem = {
    id: chatItemId(chat.key),
    name: other.name,
    open: closedMs === undefined,
    user: chatUserRef(store, other, options.includePresence),
    chatType: 'oneOnOne',
    selfUri: `/api/v2/chats/users/${other.id}`,
  };
  if (chat.lastMessageMs !== undefined) item.dateLastMessage = iso(chat.lastMessageMs);
  if (closedMs !== undefined) item.dateClosed = iso(closedMs);
  return item;
}

/**
 * The `{id}` of a room's message topic and of its `to` entity: `Room.id`, which the SDK docs
 * (`Room.md`) define as the group's id for a group room and the room's jid for an adhoc room.
 */
export function roomTopicId(room: RoomRecord): string {
  return room.roomType === 'adhoc' ? room.jid : room.id;
}

function userEntity(store: ChatStore, userId: string): ChatEntity {
  return { entityJid: store.user(userId)?.jid ?? '', entityId: userId, entityType: 'User' };
}

/**
 * Body of a chat message notification, in the official model's shape: `from`, `to` and each
 * mention are entities. A delete carries an empty body and no mentions or reactions (what Genesys
 * sends on a delete is undocumented).
 */
export function messageEventBody(
  store: ChatStore,
  message: MessageRecord,
  action: MessageAction,
): ChatMessageEvent {
  const deleted = action === 'Delete';
  const reactions: Record<string, string[]> = {};
  if (!deleted && message.reactions) {
    for (const [emoji, users] of message.reactions) reactions[emoji] = [...users];
  }
  const chat = message.chat;
  const to: ChatEntity =
    chat.kind === 'room'
      ? {
          entityJid: chat.jid,
          entityId: roomTopicId(chat),
          entityType: chat.roomType === 'adhoc' ? 'Adhoc' : 'Group',
        }
      : userEntity(store, store.otherUser(chat, message.senderId));
  return {
    messageId: message.id,
    created: iso(message.dateMs),
    actionType: action,
    body: deleted ? '' : message.body,
    from: userEntity(store, message.senderId),
    to,
    mentions: deleted ? [] : message.mentions.map((id) => userEntity(store, id)),
    notifyAll: !deleted && notifyAll(message.body),
    reactions,
  };
}
