// A second watched source for tests only: "notes" pushed on `v2.users.{me}.notes`, a topic family no
// Genesys service has, each frame one whole note. It has no REST side (nothing to catch up), so its
// events are what the socket brings. It is here to show that a source registered beside chats gets
// its frames from the one channel and its events through the same pipeline as chats.
import { z } from 'zod';
import type { ChatMessage, ChatRef } from '../../../src/main/engine/model.ts';
import type {
  ChannelEvent,
  SourceContext,
  SourceEvents,
  WatchSource,
} from '../../../src/main/engine/sources/source.ts';
import { Listeners } from '../../../src/main/engine/watch/listeners.ts';
import type { WatchState } from '../../../src/main/engine/watch/types.ts';

export const NOTES_CHAT: ChatRef = { id: 'notes-board', kind: 'room', jid: 'notes-board', name: 'Notes' };

const NOTES_TOPIC = /^v2\.users\.[^.\s]+\.notes$/;

export function notesTopic(userId: string): string {
  return `v2.users.${userId}.notes`;
}

const NoteWire = z.object({
  id: z.string().min(1).max(100),
  from: z.string().min(1).max(100),
  text: z.string().max(2000),
  at: z.number().int().nonnegative(),
});
export type Note = z.infer<typeof NoteWire>;

/** The frame a note arrives in. */
export function noteFrame(userId: string, note: Note): string {
  return JSON.stringify({ topicName: notesTopic(userId), eventBody: note });
}

export class NotesSource implements WatchSource {
  readonly id = 'notes';
  readonly reservedTopics = 1;
  /** Frames this source could not read (a test checks none were lost). */
  unreadable = 0;
  private current: WatchState = 'offline';
  private running = false;
  private readonly ctx: SourceContext;
  private readonly listeners: Listeners<SourceEvents>;

  constructor(ctx: SourceContext) {
    this.ctx = ctx;
    this.listeners = new Listeners<SourceEvents>(ctx.log);
  }

  get state(): WatchState {
    return this.current;
  }

  ownsTopic(topic: string): boolean {
    return NOTES_TOPIC.test(topic);
  }

  topics(): string[] {
    return this.running ? [notesTopic(this.ctx.me.id)].slice(0, this.ctx.push.topicLimit()) : [];
  }

  onFrame(_topic: string, body: unknown): void {
    const note = NoteWire.safeParse(body);
    if (!note.success) {
      this.unreadable++;
      this.ctx.wireStats.surprise('push note: unreadable', body);
      return;
    }
    const message: ChatMessage = {
      id: note.data.id,
      chatId: NOTES_CHAT.id,
      chatKind: NOTES_CHAT.kind,
      senderId: note.data.from,
      senderName: note.data.from,
      body: note.data.text,
      createdAt: note.data.at,
      mentions: [this.ctx.me.id],
      notifyAll: false,
      reactions: {},
    };
    this.listeners.emit('batch', {
      source: 'push',
      chat: NOTES_CHAT,
      events: [{ type: 'created', source: 'push', message }],
    });
  }

  onChannel(event: ChannelEvent): void {
    if (!this.running) return;
    if (event.type === 'up') this.set('push');
    else if (event.type === 'down' || event.type === 'unavailable') this.set('connecting');
    else if (event.type === 'offline') this.set('offline');
    else if (event.type === 'sign-in') this.set('needs-sign-in');
  }

  start(): void {
    this.running = true;
    this.set(this.ctx.push.up ? 'push' : 'connecting');
    this.ctx.push.start();
  }

  stop(): void {
    this.running = false;
    this.set('offline');
  }

  resync(): void {}

  on<K extends keyof SourceEvents>(event: K, listener: SourceEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  private set(state: WatchState): void {
    if (state === this.current) return;
    this.current = state;
    this.listeners.emit('state', state);
  }
}
