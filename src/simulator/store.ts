// The in-memory chat model: users, rooms, 1on1s, messages, reactions, pins, unread counts, and change events.
import type { Clock } from './clock.ts';
import type { Prng } from './prng.ts';
import type { ChatRecord, DirectRecord, MessageRecord, RoomRecord, UserRecord } from './model.ts';
import { directKey, MAX_PINS, ROOM_DOMAIN } from './model.ts';
import type { OrgChatSettings, UserChatSettings } from './types.ts';
import { badRequest, forbidden, notFound } from './http/errors.ts';

export type MessageAction = 'Create' | 'Edit' | 'Delete';

export type StoreEvent =
  | { type: 'message'; action: MessageAction; message: MessageRecord }
  | { type: 'badge'; userId: string; chat: ChatRecord; unreadCount: number; lastUnreadMs: number };

export interface MessageInput {
  body: string;
  /** User ids to mention. */
  mentions?: string[] | undefined;
  /** Id of a message in the same chat; a reply to a reply joins the same thread. */
  threadId?: string | undefined;
}

export interface PostOptions {
  /** Explicit date (seeded history); must not be earlier than the chat's latest message. */
  dateMs?: number;
  /** Apply without emitting events (seeding). */
  silent?: boolean;
}

export interface RoomSpec {
  id: string;
  jidLocal: string;
  roomType: 'group' | 'adhoc';
  name: string;
  subject?: string;
  description?: string;
  owners: string[];
  participants: string[];
  createdMs: number;
}

interface Unread {
  count: number;
  lastMs: number;
}

/** Shared by every message without mentions (never mutated). */
const NO_MENTIONS: string[] = [];

const NOTIFY_ALL = /(?<![\w@])@(?:here|all)(?!\w)/i;

export function defaultUserSettings(): UserChatSettings {
  return {
    muted: false,
    mentionsOnly: false,
    notifyOnReactions: true,
    mobile: { notifications: { when: 'Always' } },
  };
}

export function defaultOrgSettings(): OrgChatSettings {
  return { messageRetentionPeriodDays: 365, reactionsEnabled: true };
}

export class ChatStore {
  readonly users = new Map<string, UserRecord>();
  readonly rooms = new Map<string, RoomRecord>();
  readonly directs = new Map<string, DirectRecord>();
  readonly orgSettings: OrgChatSettings = defaultOrgSettings();
  readonly #usersByJid = new Map<string, UserRecord>();
  readonly #usersByEmail = new Map<string, UserRecord>();
  readonly #roomsById = new Map<string, RoomRecord>();
  readonly #messages = new Map<string, MessageRecord>();
  readonly #roomsOfUser = new Map<string, Set<RoomRecord>>();
  readonly #directsOfUser = new Map<string, Set<DirectRecord>>();
  readonly #closed = new Map<string, Map<string, number>>();
  readonly #unread = new Map<string, Map<string, Unread>>();
  readonly #settings = new Map<string, UserChatSettings>();
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly clock: Clock;
  readonly #ids: Prng;

  constructor(clock: Clock, ids: Prng) {
    this.clock = clock;
    this.#ids = ids;
  }

  // ---- events -------------------------------------------------------------------------------

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: StoreEvent, silent: boolean | undefined): void {
    if (silent) return;
    for (const listener of this.#listeners) listener(event);
  }

  newId(): string {
    return this.#ids.uuid();
  }

  newHex(length: number): string {
    return this.#ids.hex(length);
  }

  // ---- users --------------------------------------------------------------------------------

  addUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.#usersByJid.set(user.jid, user);
    this.#usersByEmail.set(user.email.toLowerCase(), user);
  }

  user(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  userByJid(jid: string): UserRecord | undefined {
    return this.#usersByJid.get(jid);
  }

  /** A user by id, email (any case) or jid. */
  findUser(ref: string): UserRecord | undefined {
    return this.users.get(ref) ?? this.#usersByEmail.get(ref.toLowerCase()) ?? this.#usersByJid.get(ref);
  }

  requireUser(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw notFound(`User '${id}' was not found.`, 'user.not.found');
    return user;
  }

  settingsOf(userId: string): UserChatSettings {
    let settings = this.#settings.get(userId);
    if (!settings) {
      settings = defaultUserSettings();
      this.#settings.set(userId, settings);
    }
    return settings;
  }

  resetSettings(userId: string): void {
    this.#settings.set(userId, defaultUserSettings());
  }

  // ---- rooms --------------------------------------------------------------------------------

  createRoom(spec: RoomSpec): RoomRecord {
    const room: RoomRecord = {
      kind: 'room',
      key: `${spec.jidLocal}@${ROOM_DOMAIN}`,
      id: spec.id,
      jid: `${spec.jidLocal}@${ROOM_DOMAIN}`,
      roomType: spec.roomType,
      name: spec.name,
      subject: spec.subject ?? spec.name,
      description: spec.description ?? '',
      owners: [...spec.owners],
      participants: new Set(),
      messages: [],
      pins: [],
      lastMessageMs: undefined,
      createdMs: spec.createdMs,
    };
    this.rooms.set(room.jid, room);
    this.#roomsById.set(room.id, room);
    for (const userId of spec.participants) this.addParticipant(room, userId);
    return room;
  }

  roomByJid(jid: string): RoomRecord | undefined {
    return this.rooms.get(jid);
  }

  /** A room by id or jid (topics and the control interface accept either). */
  findRoom(ref: string): RoomRecord | undefined {
    return this.rooms.get(ref) ?? this.#roomsById.get(ref);
  }

  addParticipant(room: RoomRecord, userId: string): boolean {
    if (room.participants.has(userId)) return false;
    room.participants.add(userId);
    let set = this.#roomsOfUser.get(userId);
    if (!set) this.#roomsOfUser.set(userId, (set = new Set()));
    set.add(room);
    return true;
  }

  removeParticipant(room: RoomRecord, userId: string): boolean {
    if (!room.participants.delete(userId)) return false;
    this.#roomsOfUser.get(userId)?.delete(room);
    room.owners = room.owners.filter((id) => id !== userId);
    this.#unread.get(userId)?.delete(room.key);
    return true;
  }

  // ---- 1on1s --------------------------------------------------------------------------------

  direct(a: string, b: string): DirectRecord | undefined {
    return this.directs.get(directKey(a, b));
  }

  /** The 1on1 between two users, created on first use. */
  ensureDirect(a: string, b: string): DirectRecord {
    if (a === b) throw badRequest('A 1on1 chat with yourself is not possible.', 'chat.oneonone.self');
    const key = directKey(a, b);
    let chat = this.directs.get(key);
    if (!chat) {
      const users: [string, string] = a < b ? [a, b] : [b, a];
      chat = {
        kind: 'direct',
        key,
        users,
        messages: [],
        pins: [],
        lastMessageMs: undefined,
        createdMs: this.clock.now(),
      };
      this.directs.set(key, chat);
      for (const id of users) {
        let set = this.#directsOfUser.get(id);
        if (!set) this.#directsOfUser.set(id, (set = new Set()));
        set.add(chat);
      }
    }
    return chat;
  }

  otherUser(chat: DirectRecord, me: string): string {
    return chat.users[0] === me ? chat.users[1] : chat.users[0];
  }

  closeDirect(userId: string, chat: DirectRecord, atMs: number): void {
    let map = this.#closed.get(userId);
    if (!map) this.#closed.set(userId, (map = new Map()));
    map.set(chat.key, atMs);
  }

  /** When the user closed this 1on1 (undefined while open). */
  dateClosed(userId: string, chat: ChatRecord): number | undefined {
    return this.#closed.get(userId)?.get(chat.key);
  }

  // ---- membership ---------------------------------------------------------------------------

  isMember(chat: ChatRecord, userId: string): boolean {
    return chat.kind === 'room' ? chat.participants.has(userId) : chat.users.includes(userId);
  }

  membersOf(chat: ChatRecord): Iterable<string> {
    return chat.kind === 'room' ? chat.participants : chat.users;
  }

  /** Rooms the user is in and 1on1s that have started. */
  chatsOf(userId: string): ChatRecord[] {
    const out: ChatRecord[] = [...(this.#roomsOfUser.get(userId) ?? [])];
    for (const chat of this.#directsOfUser.get(userId) ?? []) {
      if (chat.messages.length > 0 || chat.pins.length > 0) out.push(chat);
    }
    return out;
  }

  /** The jabber id a user sees for a chat: the room jid, or the other user's jid for a 1on1. */
  jabberIdFor(chat: ChatRecord, viewerId: string): string {
    if (chat.kind === 'room') return chat.jid;
    return this.users.get(this.otherUser(chat, viewerId))?.jid ?? '';
  }

  /** Jid a message is addressed to: the room, or the recipient of a 1on1 message. */
  toJid(message: MessageRecord): string {
    const chat = message.chat;
    if (chat.kind === 'room') return chat.jid;
    return this.users.get(this.otherUser(chat, message.senderId))?.jid ?? '';
  }

  unreadOf(userId: string, chat: ChatRecord): { count: number; lastMs: number } {
    const unread = this.#unread.get(userId)?.get(chat.key);
    return unread ? { ...unread } : { count: 0, lastMs: 0 };
  }

  // ---- messages -----------------------------------------------------------------------------

  /** A live (not deleted) message. */
  message(id: string): MessageRecord | undefined {
    const message = this.#messages.get(id);
    return message && !message.deleted ? message : undefined;
  }

  requireMessage(id: string): MessageRecord {
    const message = this.message(id);
    if (!message) throw notFound(`Message '${id}' was not found.`, 'chat.message.not.found');
    return message;
  }

  /** Any message ever created, deleted ones included (thread lookups). */
  anyMessage(id: string): MessageRecord | undefined {
    return this.#messages.get(id);
  }

  get messageCount(): number {
    return this.#messages.size;
  }

  #validateMentions(ids: string[] | undefined): string[] {
    if (!ids || ids.length === 0) return NO_MENTIONS;
    const unknown = ids.filter((id) => !this.users.has(id));
    if (unknown.length > 0) {
      throw badRequest(`Unknown user ids in mentions: ${unknown.join(', ')}`, 'chat.mention.invalid');
    }
    return [...new Set(ids)];
  }

  #threadRootFor(chat: ChatRecord, threadId: string | undefined): MessageRecord | undefined {
    if (threadId === undefined) return undefined;
    const target = this.#messages.get(threadId);
    if (!target || target.deleted)
      throw notFound(`Thread '${threadId}' was not found.`, 'chat.thread.not.found');
    if (target.chat !== chat) {
      throw badRequest(`Thread '${threadId}' belongs to another chat.`, 'chat.thread.invalid');
    }
    const root = this.#messages.get(target.threadId);
    if (!root) throw notFound(`Thread '${threadId}' was not found.`, 'chat.thread.not.found');
    return root;
  }

  postMessage(
    chat: ChatRecord,
    senderId: string,
    input: MessageInput,
    options: PostOptions = {},
  ): MessageRecord {
    if (!this.isMember(chat, senderId)) {
      throw forbidden('Only participants can post in this chat.', 'chat.not.participant');
    }
    const mentions = this.#validateMentions(input.mentions);
    const root = this.#threadRootFor(chat, input.threadId);
    const last = chat.messages[chat.messages.length - 1];
    let dateMs: number;
    if (options.dateMs !== undefined) {
      dateMs = last && options.dateMs <= last.dateMs ? last.dateMs + 1 : options.dateMs;
      this.clock.observeMessageMs(dateMs);
    } else {
      dateMs = this.clock.nextMessageMs();
    }
    const id = this.newId();
    const message: MessageRecord = {
      id,
      chat,
      senderId,
      body: input.body,
      dateMs,
      modifiedMs: undefined,
      mentions,
      threadId: root ? root.id : id,
      deleted: false,
      reactions: undefined,
      replies: undefined,
    };
    chat.messages.push(message);
    this.#messages.set(id, message);
    if (root) (root.replies ??= []).push(message);
    chat.lastMessageMs = dateMs;
    if (chat.kind === 'direct') {
      for (const userId of chat.users) this.#closed.get(userId)?.delete(chat.key);
    }
    this.#emit({ type: 'message', action: 'Create', message }, options.silent);
    this.#updateUnread(chat, senderId, dateMs, options.silent);
    return message;
  }

  /**
   * Unread counts per user and chat: messages from others since the user last posted there. A post
   * from someone else raises the count and sends a badge; the user's own post clears it (badge 0).
   */
  #updateUnread(chat: ChatRecord, senderId: string, dateMs: number, silent: boolean | undefined): void {
    for (const userId of this.membersOf(chat)) {
      let map = this.#unread.get(userId);
      if (!map) this.#unread.set(userId, (map = new Map()));
      let current = map.get(chat.key);
      if (!current) map.set(chat.key, (current = { count: 0, lastMs: 0 }));
      if (userId === senderId) {
        if (current.count === 0) continue;
        current.count = 0;
        if (!silent)
          this.#emit({ type: 'badge', userId, chat, unreadCount: 0, lastUnreadMs: current.lastMs }, false);
      } else {
        current.count++;
        current.lastMs = dateMs;
        if (!silent)
          this.#emit(
            { type: 'badge', userId, chat, unreadCount: current.count, lastUnreadMs: dateMs },
            false,
          );
      }
    }
  }

  editMessage(
    message: MessageRecord,
    editorId: string,
    input: MessageInput,
    options: PostOptions = {},
  ): void {
    if (message.deleted) throw notFound(`Message '${message.id}' was not found.`, 'chat.message.not.found');
    if (message.senderId !== editorId) {
      throw forbidden('Only the sender can edit this message.', 'chat.message.not.sender');
    }
    message.mentions = this.#validateMentions(input.mentions);
    message.body = input.body;
    message.modifiedMs = options.dateMs ?? Math.max(this.clock.now(), message.dateMs + 1);
    this.#emit({ type: 'message', action: 'Edit', message }, options.silent);
  }

  deleteMessage(message: MessageRecord, byUserId: string, options: PostOptions = {}): void {
    if (message.deleted) throw notFound(`Message '${message.id}' was not found.`, 'chat.message.not.found');
    if (message.senderId !== byUserId) {
      throw forbidden('Only the sender can delete this message.', 'chat.message.not.sender');
    }
    message.deleted = true;
    message.modifiedMs = Math.max(this.clock.now(), message.dateMs + 1);
    message.chat.pins = message.chat.pins.filter((id) => id !== message.id);
    this.#emit({ type: 'message', action: 'Delete', message }, options.silent);
  }

  /**
   * Replaces the user's reactions on a message with `emojis` (an empty list removes them all). The
   * docs leave open whether the PUT adds or replaces; replacing makes the call idempotent.
   */
  setReactions(message: MessageRecord, userId: string, emojis: string[], options: PostOptions = {}): void {
    if (message.deleted) throw notFound(`Message '${message.id}' was not found.`, 'chat.message.not.found');
    const wanted = [...new Set(emojis)];
    const reactions = message.reactions ?? new Map<string, string[]>();
    for (const [emoji, users] of reactions) {
      if (wanted.includes(emoji)) continue;
      const rest = users.filter((id) => id !== userId);
      if (rest.length === 0) reactions.delete(emoji);
      else reactions.set(emoji, rest);
    }
    for (const emoji of wanted) {
      const users = reactions.get(emoji) ?? [];
      if (!users.includes(userId)) users.push(userId);
      reactions.set(emoji, users);
    }
    message.reactions = reactions.size > 0 ? reactions : undefined;
    this.#emit({ type: 'message', action: 'Edit', message }, options.silent);
  }

  // ---- pins ---------------------------------------------------------------------------------

  #pinnable(chat: ChatRecord, ids: string[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const message = this.message(id);
      if (!message) throw notFound(`Message '${id}' was not found.`, 'chat.message.not.found');
      if (message.chat !== chat) {
        throw badRequest(`Message '${id}' does not belong to this chat.`, 'chat.pin.invalid');
      }
      if (!out.includes(id)) out.push(id);
    }
    return out;
  }

  /** Adds pins (already pinned ids are kept); more than 5 in total is a 400. */
  pin(chat: ChatRecord, ids: string[]): void {
    const add = this.#pinnable(chat, ids).filter((id) => !chat.pins.includes(id));
    if (chat.pins.length + add.length > MAX_PINS) {
      throw badRequest(
        `A chat can have at most ${MAX_PINS} pinned messages (${chat.pins.length} pinned, ${add.length} more requested).`,
        'chat.pin.limit.exceeded',
      );
    }
    chat.pins.push(...add);
  }

  /** Replaces the pins (room PATCH `pinnedMessageIds`). */
  setPins(chat: ChatRecord, ids: string[]): void {
    const pins = this.#pinnable(chat, ids);
    if (pins.length > MAX_PINS) {
      throw badRequest(`A chat can have at most ${MAX_PINS} pinned messages.`, 'chat.pin.limit.exceeded');
    }
    chat.pins = pins;
  }

  unpin(chat: ChatRecord, id: string): void {
    if (!chat.pins.includes(id)) {
      throw notFound(`Message '${id}' is not pinned in this chat.`, 'chat.pin.not.found');
    }
    chat.pins = chat.pins.filter((pinned) => pinned !== id);
  }
}

export function notifyAll(body: string): boolean {
  return NOTIFY_ALL.test(body);
}
