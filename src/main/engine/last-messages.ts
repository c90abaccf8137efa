// The newest message the engine has seen in each chat, for the preview line of "All chats": from
// every batch (pushed, caught up or polled), whoever sent it, and for chats quiet since the app
// first saw them, read once when the chat list asks (the roster says when a chat last had a
// message, not what it said). Bounded, and kept across restarts with the rest of the engine's state.
import { z } from 'zod';
import type { ChatApi } from '../genesys/chat-api.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import type { ChatEvent, ChatMessage } from './model.ts';
import { OldestFirst } from './oldest-first.ts';

export const LAST_TEXT_MAX = 500;
export const LAST_CHATS_MAX = 1000;

export const LastMessageSchema = z.object({
  messageId: z.string().max(256),
  senderId: z.string().max(256),
  senderName: z.string().max(512).optional(),
  text: z.string().max(LAST_TEXT_MAX),
  at: z.number().finite(),
});
export type LastMessage = z.infer<typeof LastMessageSchema>;

export class LastMessages {
  private readonly byChat = new Map<string, LastMessage>();
  private readonly trimmer = new OldestFirst(this.byChat, LAST_CHATS_MAX);

  static fromJSON(data: unknown): LastMessages {
    const last = new LastMessages();
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return last;
    for (const [chatId, raw] of Object.entries(data).slice(0, LAST_CHATS_MAX)) {
      const parsed = LastMessageSchema.safeParse(raw);
      if (parsed.success) last.byChat.set(chatId, parsed.data);
    }
    return last;
  }

  toJSON(): Record<string, LastMessage> {
    return Object.fromEntries(this.byChat);
  }

  get(chatId: string): LastMessage | undefined {
    return this.byChat.get(chatId);
  }

  /**
   * Takes what a batch of one chat says: a newer message, an edit of the newest, its deletion. The
   * events are walked in order with the newest so far in a local, and the map is written once: a
   * catch-up's batch is a chat's whole backlog, and only its last message becomes the preview.
   */
  note(chatId: string, events: readonly ChatEvent[]): boolean {
    const stored = this.byChat.get(chatId);
    /** The newest so far: the stored one, a message of this batch (to store), or none (deleted). */
    let newest: { id: string; at: number; message?: ChatMessage } | undefined = stored
      ? { id: stored.messageId, at: stored.at }
      : undefined;
    let changed = false;
    for (const event of events) {
      if (event.type === 'deleted') {
        if (newest?.id === event.messageId) {
          newest = undefined;
          changed = true;
        }
        continue;
      }
      if (event.type === 'reactions') continue;
      const m = event.message;
      if (newest && newest.id !== m.id && m.createdAt <= newest.at) continue;
      newest = { id: m.id, at: m.createdAt, message: m };
      changed = true;
    }
    if (!changed) return false;
    this.byChat.delete(chatId); // re-inserted last: the map's order is the order of activity
    const m = newest?.message;
    if (m) {
      this.byChat.set(chatId, {
        messageId: m.id,
        senderId: m.senderId,
        ...(m.senderName ? { senderName: m.senderName.slice(0, 512) } : {}),
        text: m.body.slice(0, LAST_TEXT_MAX),
        at: m.createdAt,
      });
      this.trimmer.trim();
    }
    return true;
  }
}

/** Chats the chat list fills a preview for at a time: the most recently active that have none. */
export const FILL_MAX = 20;

/**
 * Reads, one chat at a time and in the background of the request budget, the newest message of
 * the most recently active chats that have no preview, and notes it. Asks only for what came at
 * or after the roster's `lastMessageAt`, and keeps the newest of the answer, so neither the order
 * of a history page nor whether `limit` is honoured matters. Returns the chats it filled.
 */
export async function fillMissing(
  last: LastMessages,
  chats: readonly RosterEntry[],
  api: Pick<ChatApi, 'history'>,
): Promise<string[]> {
  const missing = chats
    .filter((c) => c.lastMessageAt !== undefined && !last.get(c.chat.id))
    .sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0))
    .slice(0, FILL_MAX);
  const filled: string[] = [];
  for (const entry of missing) {
    const messages = await api.history(
      entry.chat,
      { after: (entry.lastMessageAt ?? 0) - 1, limit: 5 },
      'background',
    );
    const events = messages.map((message) => ({
      type: 'created' as const,
      source: 'backfill' as const,
      message,
    }));
    if (!last.get(entry.chat.id) && last.note(entry.chat.id, events)) filled.push(entry.chat.id);
  }
  return filled;
}
