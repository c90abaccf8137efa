// What the watcher remembers of recent messages (bounded): reactions and text, to tell a reaction
// from an edit, and to drop the duplicate events two overlapping channels deliver.
import type { ChatMessage, Reactions } from '../model.ts';
import { OldestFirst } from '../oldest-first.ts';

export interface Remembered {
  reactions: Reactions;
  body: string;
  deleted: boolean;
}

export class MessageMemory {
  private readonly map = new Map<string, Remembered>();
  private readonly capacity: number;
  private readonly trimmer: OldestFirst<string>;
  private readonly ownerId: string | undefined;
  /** Per chat, the newest `createdAt` of the owner's own messages remembered (reactions go to those). */
  private readonly ownLatest = new Map<string, number>();

  constructor(capacity = 2000, ownerId?: string) {
    this.capacity = capacity;
    this.trimmer = new OldestFirst(this.map, capacity);
    this.ownerId = ownerId;
  }

  /** Whether the message is the owner's own (reactions to it may notify). */
  isOwn(message: ChatMessage): boolean {
    return this.ownerId !== undefined && message.senderId === this.ownerId;
  }

  /** Chats where the owner wrote at or after `since`, most recent first. */
  chatsWithOwnSince(since: number): string[] {
    return [...this.ownLatest]
      .filter(([, at]) => at >= since)
      .sort((a, b) => b[1] - a[1])
      .map(([chatId]) => chatId);
  }

  get(messageId: string): Remembered | undefined {
    return this.map.get(messageId);
  }

  remember(message: ChatMessage): void {
    if (message.senderId === this.ownerId) {
      if (this.ownLatest.size >= this.capacity) this.ownLatest.clear();
      this.ownLatest.set(
        message.chatId,
        Math.max(this.ownLatest.get(message.chatId) ?? 0, message.createdAt),
      );
    }
    this.put(message.id, { reactions: copy(message.reactions), body: message.body, deleted: false });
  }

  /** Remembers a message read from history unless already known: a known state came from push and
   * is what the engine last heard, so a later edit is compared with that. */
  rememberIfNew(message: ChatMessage): void {
    if (!this.map.has(message.id)) this.remember(message);
  }

  forget(messageId: string): void {
    const known = this.map.get(messageId);
    this.put(messageId, { reactions: {}, body: known?.body ?? '', deleted: true });
  }

  get size(): number {
    return this.map.size;
  }

  private put(id: string, value: Remembered): void {
    this.map.delete(id);
    this.map.set(id, value);
    this.trimmer.trim();
  }
}

function copy(reactions: Reactions): Reactions {
  const entries = Object.entries(reactions);
  // Most messages have none (a catch-up remembers thousands).
  if (entries.length === 0) return {};
  return Object.fromEntries(entries.map(([emoji, users]) => [emoji, [...users]]));
}
