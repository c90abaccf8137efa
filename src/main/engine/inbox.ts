// The inbox the popup shows: recent notified items (mentions, direct messages, reactions to the
// user's messages, room messages), grouped by chat, newest first, with unread marks. Bounded, and
// serialisable so it survives restarts.
import { z } from 'zod';
import { CHAT_ID_MAX } from '../../shared/domain/chat-ref.ts';
import {
  ChatKindSchema,
  NOTIFY_KIND_TRAITS,
  NotifyKindSchema,
  type ChatKind,
} from '../../shared/domain/kinds.ts';

export const InboxItemSchema = z.object({
  /** The message id (for reactions: `<messageId>:<emoji>:<userId>`). */
  id: z.string().max(600),
  messageId: z.string().max(256),
  chatId: z.string().max(CHAT_ID_MAX),
  chatName: z.string().max(1024),
  chatKind: ChatKindSchema,
  kind: NotifyKindSchema,
  senderId: z.string().max(256),
  senderName: z.string().max(512),
  text: z.string().max(4000),
  at: z.number().finite(),
  read: z.boolean(),
  threadId: z.string().max(256).optional(),
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export interface InboxChat {
  chatId: string;
  chatName: string;
  chatKind: ChatKind;
  unread: number;
  latestAt: number;
  items: InboxItem[];
}

export const INBOX_LIMIT = 300;

export class Inbox {
  /** Newest first. */
  private items: InboxItem[] = [];
  /** How many items hold each id (a damaged file may hold one twice), so `add` need not search. */
  private readonly idCount = new Map<string, number>();

  static fromJSON(data: unknown, log?: (m: string) => void): Inbox {
    const inbox = new Inbox();
    if (!Array.isArray(data)) return inbox;
    let dropped = 0;
    for (const raw of data) {
      const parsed = InboxItemSchema.safeParse(raw);
      if (parsed.success) inbox.items.push(parsed.data);
      else dropped++;
    }
    if (dropped) log?.(`inbox: dropped ${dropped} unreadable item(s)`);
    inbox.items.sort((a, b) => b.at - a.at);
    inbox.items.length = Math.min(inbox.items.length, INBOX_LIMIT);
    for (const item of inbox.items) inbox.count(item.id, 1);
    return inbox;
  }

  toJSON(): InboxItem[] {
    return this.items.map((i) => ({ ...i }));
  }

  /**
   * Whether an item would be kept: not when it is a new id older than everything in a full inbox
   * (it would fall straight off the end). A catch-up offers thousands of those (chats are caught up
   * one after another, their times interleaved), so callers ask before building the item.
   */
  accepts(id: string, at: number): boolean {
    const last = this.items[this.items.length - 1];
    return this.idCount.has(id) || this.items.length < INBOX_LIMIT || !last || at > last.at;
  }

  /** Adds an item (a repeat of the same id replaces it); the oldest fall off past the limit. */
  add(item: InboxItem): void {
    if (!this.accepts(item.id, item.at)) return;
    if (this.idCount.has(item.id)) {
      for (let i = this.items.length - 1; i >= 0; i--)
        if (this.items[i]!.id === item.id) this.items.splice(i, 1);
      this.idCount.delete(item.id);
    }
    // The list is newest first: the new item goes before the first older one, after equals.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.at < item.at) hi = mid;
      else lo = mid + 1;
    }
    this.items.splice(lo, 0, item);
    this.count(item.id, 1);
    while (this.items.length > INBOX_LIMIT) this.count(this.items.pop()!.id, -1);
  }

  /** Removes every item of a deleted message; returns whether anything was removed. */
  removeMessage(messageId: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((i) => {
      if (i.messageId !== messageId) return true;
      this.count(i.id, -1);
      return false;
    });
    return this.items.length !== before;
  }

  /** Marks a chat read; returns the message ids that were unread (to withdraw their notifications). */
  markChatRead(chatId: string): string[] {
    const ids: string[] = [];
    for (const i of this.items) {
      if (i.chatId === chatId && !i.read) {
        i.read = true;
        ids.push(i.messageId);
      }
    }
    return ids;
  }

  markAllRead(): string[] {
    const ids = this.items.filter((i) => !i.read).map((i) => i.messageId);
    for (const i of this.items) i.read = true;
    return ids;
  }

  get unread(): number {
    return this.items.reduce((n, i) => n + (i.read ? 0 : 1), 0);
  }

  hasUnreadMention(): boolean {
    return this.items.some((i) => !i.read && NOTIFY_KIND_TRAITS[i.kind].forMe);
  }

  /** Grouped by chat, chats ordered by their newest item. */
  chats(): InboxChat[] {
    const byChat = new Map<string, InboxChat>();
    for (const item of this.items) {
      let chat = byChat.get(item.chatId);
      if (!chat) {
        chat = {
          chatId: item.chatId,
          chatName: item.chatName,
          chatKind: item.chatKind,
          unread: 0,
          latestAt: item.at,
          items: [],
        };
        byChat.set(item.chatId, chat);
      }
      chat.items.push({ ...item });
      if (!item.read) chat.unread++;
    }
    return [...byChat.values()];
  }

  private count(id: string, by: 1 | -1): void {
    const n = (this.idCount.get(id) ?? 0) + by;
    if (n > 0) this.idCount.set(id, n);
    else this.idCount.delete(id);
  }
}
