// Pushed events on the chat topics: a room's message events become batches (in arrival order, held
// through gaps), a badge makes the source read the chat (or the roster, for a chat it does not know),
// and an unreadable room event is counted and makes the room be read over REST.
import type { ChatRef } from '../model.ts';
import { readChatFrame } from './chat-frames.ts';
import { ChatRecovery } from './chat-recovery.ts';
import type { ChatRun } from './chat-run.ts';
import { PushEventMapper } from './push-events.ts';

/** An unknown jid in a badge triggers a roster read at most this often. */
const UNKNOWN_JID_PAUSE_MS = 60_000;

export interface ChatPushDeps extends ChatRun {
  /** Makes the next sync read this chat whatever the roster says. */
  readNextSync(chat: ChatRef): void;
  /** Reads one chat over REST now. */
  readChat(chat: ChatRef): void;
}

export class ChatPushReader {
  private queue: Promise<void> = Promise.resolve();
  private readonly unknownJids = new Map<string, number>();

  private readonly d: ChatPushDeps;
  private readonly mapper: PushEventMapper;
  private readonly recovery: ChatRecovery;

  constructor(deps: ChatPushDeps) {
    this.d = deps;
    this.mapper = new PushEventMapper({ senders: deps.senders, memory: deps.memory, meId: deps.ctx.me.id });
    this.recovery = new ChatRecovery({
      delayMs: deps.ctx.timings.surpriseReadMs,
      gap: () => deps.gaps.open(),
      read: (chat) => {
        // In a sync, whatever the roster says: the sync releases the events held since the gap.
        deps.log(`push: reading ${chat.kind} ${chat.id} over REST after an unreadable event`);
        deps.readNextSync(chat);
        deps.syncs.request();
      },
    });
  }

  /** Rooms read over REST because an event on their topic could not be read. */
  get recovered(): number {
    return this.recovery.recovered;
  }

  /** A new run: nothing queued from the last one is waited for, no recovery read is pending. */
  reset(): void {
    this.queue = Promise.resolve();
    this.recovery.cancel();
  }

  read(topic: string, eventBody: unknown): void {
    const d = this.d;
    const epoch = d.gaps.current;
    const frame = readChatFrame(topic, eventBody);
    switch (frame.kind) {
      case 'bad': {
        d.ctx.wireStats.surprise(frame.surprise.kind, frame.surprise.value);
        d.log(`push: ignored a frame: ${frame.surprise.kind}`);
        const chat = frame.chatTopic ? d.topics.plan.chats.get(frame.chatTopic) : undefined;
        if (frame.chatTopic && chat) this.recovery.surprise(frame.chatTopic, chat);
        return;
      }
      case 'badge':
        this.onBadge(frame.jid, frame.unreadCount);
        return;
      case 'chat': {
        const generation = d.generation();
        // One at a time, in arrival order: a sender look-up must not let a later event overtake.
        this.queue = this.queue.then(async () => {
          if (generation !== d.generation()) return;
          const chat = d.topics.plan.chats.get(frame.topic);
          if (!chat) {
            d.log('push: event on a topic no longer watched');
            return;
          }
          this.recovery.readable(frame.topic);
          try {
            const mapped = await this.mapper.map(chat, frame.body);
            if (generation !== d.generation()) return;
            if (mapped.ok) d.gaps.deliver({ source: 'push', chat, events: [mapped.event] }, epoch);
            else if (mapped.why === 'unknown-sender' && frame.body.actionType === 'Create') d.readChat(chat);
          } catch (err) {
            if (generation !== d.generation()) return;
            d.restError(err, 'reading who sent a pushed message');
            // The message itself is in the history, with its sender: read it from there.
            if (frame.body.actionType === 'Create') d.readChat(chat);
          }
        });
        return;
      }
    }
  }

  /**
   * A chat has unread messages. 1on1s have no message topic: read the chat. Subscribed rooms need
   * nothing (their topic brought the message); a room left out of the subscription (Rejected,
   * unconfirmed, over the cap) or whose events could not be read lately is read like a 1on1. An
   * unknown jid is a new chat: read the roster. A 1on1's badge may name the user's own jid rather
   * than the other side's (unconfirmed): then which 1on1 is unknown, and the roster diff finds it.
   */
  private onBadge(jid: string, unreadCount: number | undefined): void {
    const d = this.d;
    if (unreadCount === 0) return; // the user posted or read: nothing new to tell
    if (jid === d.ctx.me.jid) {
      d.syncs.request();
      return;
    }
    const entry = d.book.byJid(jid);
    if (!entry) {
      const last = this.unknownJids.get(jid);
      if (last !== undefined && d.ctx.now() - last < UNKNOWN_JID_PAUSE_MS) return;
      if (this.unknownJids.size > 1000) this.unknownJids.clear();
      this.unknownJids.set(jid, d.ctx.now());
      d.log('badge for a chat not in the roster: reading the roster');
      d.syncs.request();
      return;
    }
    if (entry.chat.kind === 'room') {
      const topic = d.topics.plan.byChat.get(entry.chat.id);
      if (topic && d.ctx.push.isSubscribed(topic) && !this.recovery.isSuspect(topic)) return;
    }
    d.readChat(entry.chat);
  }
}
