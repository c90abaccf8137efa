// Turns a pushed chat event into the engine's ChatEvent: Create → created, Edit → reactions (when
// the reactions changed) or edited, Delete → deleted; duplicates from overlapping channels → nothing.
// The sender is `from.entityId` (a user entity); only an event without it needs a jid look-up.
import type { ChatEvent, ChatMessage, ChatRef } from '../model.ts';
import { eventToMessage, reactionsEqual } from '../../genesys/mappers.ts';
import { userIdOf, type ChatEventBodyWire } from '../../genesys/push-wire.ts';
import type { MessageMemory } from './message-memory.ts';
import type { SenderDirectory } from './senders.ts';

export type Mapped =
  | { ok: true; event: ChatEvent }
  /** Nothing to tell: a duplicate, or an edit that changes nothing known. */
  | { ok: false; why: 'duplicate' | 'unmappable' | 'unknown-sender' };

export class PushEventMapper {
  private readonly senders: SenderDirectory;
  private readonly memory: MessageMemory;
  private readonly meId: string;

  constructor(o: { senders: SenderDirectory; memory: MessageMemory; meId: string }) {
    this.senders = o.senders;
    this.memory = o.memory;
    this.meId = o.meId;
  }

  /** May throw the REST error of a sender look-up (only when the event does not name the sender's id). */
  async map(chat: ChatRef, body: ChatEventBodyWire): Promise<Mapped> {
    const known = this.memory.get(body.messageId);
    if (body.actionType === 'Delete') {
      if (known?.deleted) return { ok: false, why: 'duplicate' };
      this.memory.forget(body.messageId);
      return {
        ok: true,
        event: { type: 'deleted', source: 'push', chatId: chat.id, messageId: body.messageId },
      };
    }
    if (known?.deleted) return { ok: false, why: 'duplicate' }; // an event overtaken by the delete
    if (body.actionType === 'Create' && known) return { ok: false, why: 'duplicate' };
    const jid = body.from?.entityJid;
    let senderId = userIdOf(body.from);
    if (senderId) {
      if (jid) this.senders.learn(jid, senderId);
    } else senderId = await this.senders.resolve(chat, jid, body.messageId);
    if (!senderId) return { ok: false, why: 'unknown-sender' };
    const message = eventToMessage(body, chat, senderId);
    if (!message) return { ok: false, why: 'unmappable' };
    this.memory.remember(message);
    if (body.actionType === 'Create')
      return { ok: true, event: { type: 'created', source: 'push', message } };
    return this.edit(message, known);
  }

  private edit(message: ChatMessage, known: ReturnType<MessageMemory['get']>): Mapped {
    if (known) {
      if (!reactionsEqual(known.reactions, message.reactions))
        return { ok: true, event: { type: 'reactions', source: 'push', message, previous: known.reactions } };
      if (known.body === message.body) return { ok: false, why: 'duplicate' };
      return { ok: true, event: { type: 'edited', source: 'push', message } };
    }
    // A message older than what the watcher remembers: only the sender can edit it, so an edit of the
    // user's own message that carries reactions is most likely a reaction. Without the old state the
    // engine treats every reaction as new ("previous" absent).
    if (message.senderId === this.meId && Object.keys(message.reactions).length > 0)
      return { ok: true, event: { type: 'reactions', source: 'push', message } };
    return { ok: true, event: { type: 'edited', source: 'push', message } };
  }
}
