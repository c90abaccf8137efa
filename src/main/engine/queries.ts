// What the popup reads on demand (history, a thread, pins, participants, names), asked of the
// engine rather than of its REST client: each read checks that the chat is one of the user's and
// goes out at the user's priority (ahead of background catch-up in the request budget).
import type { ChatApi, Me } from '../genesys/chat-api.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import type { ChatMessage, ChatRef } from './model.ts';
import { capabilitiesOf } from '../../shared/domain/kinds.ts';

export interface QueryDeps {
  /** The REST client of the current connection, if connected. */
  api(): ChatApi | null;
  me(): Me | null;
  /** The user's chat with this id, from the roster. */
  chat(chatId: string): ChatRef | undefined;
  /** Every chat of the roster. */
  chats(): Iterable<RosterEntry>;
}

export interface HistoryPage {
  messages: ChatMessage[];
  /** Ids of the chat's pinned messages (empty when they could not be read). */
  pinned: string[];
}

export class ChatQueries {
  private readonly d: QueryDeps;

  constructor(deps: QueryDeps) {
    this.d = deps;
  }

  /** One page of a chat's history, oldest first, with its pinned ids. */
  async history(chatId: string, q: { limit: number; before?: number }): Promise<HistoryPage> {
    const { api, chat } = this.open(chatId);
    const [messages, pinned] = await Promise.all([
      api.history(chat, { limit: q.limit, ...(q.before !== undefined ? { before: q.before } : {}) }, 'user'),
      api.pinnedIds(chat).catch(() => [] as string[]),
    ]);
    return { messages, pinned };
  }

  async thread(chatId: string, threadId: string): Promise<ChatMessage[]> {
    const { api, chat } = this.open(chatId);
    return api.thread(chat, threadId);
  }

  /** The pinned messages of a chat, with their ids in pin order. */
  async pins(chatId: string): Promise<{ ids: string[]; messages: ChatMessage[] }> {
    const { api, chat } = this.open(chatId);
    const ids = await api.pinnedIds(chat);
    return { ids, messages: await api.messagesById(chat, ids, 'user') };
  }

  /** Who is in a chat: a 1on1 is the user and the other side; a room asks Genesys. */
  async participants(chatId: string): Promise<{ id: string; name: string }[]> {
    const { api, chat, me } = this.open(chatId);
    if (capabilitiesOf(chat.kind).participants === 'pair') {
      return [
        { id: me.id, name: me.name },
        { id: chat.id, name: await api.userName(chat.id).catch(() => chat.name) },
      ];
    }
    const people = await api.participants(chat.jid);
    return Promise.all(people.map(async (p) => ({ id: p.userId, name: await this.userName(p.userId) })));
  }

  /** The chat a message belongs to, from the roster (reading the message when needed). */
  async chatOfMessage(messageId: string): Promise<ChatRef> {
    const api = this.d.api();
    const me = this.d.me();
    if (!api || !me) throw new Error('Not signed in.');
    const where = await api.messageLocation(messageId);
    for (const entry of this.d.chats()) {
      const c = entry.chat;
      if (c.kind === 'room' && c.jid === where.toJid) return c;
      // A 1on1 by the other user's id or, for a message without user ids, by its jid on either side.
      if (
        c.kind === 'oneOnOne' &&
        c.id !== me.id &&
        (c.id === where.toUserId ||
          c.id === where.senderId ||
          (c.jid !== '' && (c.jid === where.toJid || c.jid === where.senderJid)))
      )
        return c;
    }
    throw new Error('That message is not in any of your chats.');
  }

  /** A user's display name; empty when unknown, unreadable or not connected. */
  async userName(userId: string): Promise<string> {
    const api = this.d.api();
    return api ? api.userName(userId).catch(() => '') : '';
  }

  private open(chatId: string): { api: ChatApi; me: Me; chat: ChatRef } {
    const api = this.d.api();
    const me = this.d.me();
    if (!api || !me) throw new Error('Not signed in.');
    const chat = this.d.chat(chatId);
    if (!chat) throw new Error('That chat is not one of yours.');
    return { api, me, chat };
  }
}
