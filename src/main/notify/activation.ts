// Where a notification's activation leads: a click opens its conversation in the popup (with the
// reply box focused where the OS has no inline reply: the quick-reply view), an inline reply goes
// into the outbox like one typed in the popup (in the thread, if any), and the buttons mark the
// chat read or react with the default reaction. The same route serves activations that come with
// their notification's handlers and those that arrive alone (Windows' Action Center, cold start).
import { isCollaborateChat } from '../../shared/domain/chat-ref.ts';
import type { Engine } from '../engine/engine.ts';
import type { NotificationActivation, NotificationTarget } from '../shell/ports.ts';
import { QUICK_REACTION } from './desktop.ts';

/** The longest reply accepted from a notification (the popup's composer has the same limit). */
const MAX_REPLY = 10_000;

export interface ActivationDeps {
  engine(): Engine | null;
  /** Shows the popup on this conversation; `compose`: with the reply box focused. */
  openChat(target: NotificationTarget, compose: boolean): void;
  /** Shows the popup on this customer conversation's transcript; `compose`: with the reply box focused. */
  openInteraction(conversationId: string, compose: boolean): void;
  /** Whether the OS offers an inline reply (then a click need not focus the reply box). */
  inlineReply: boolean;
  log(message: string): void;
}

export function routeActivation(a: NotificationActivation, d: ActivationDeps): void {
  if (a.interaction) return routeInteraction(a, d);
  const target: NotificationTarget = {
    chatId: a.chatId,
    messageId: a.messageId,
    ...(a.threadId ? { threadId: a.threadId } : {}),
  };
  if (a.kind === 'click') {
    d.openChat(target, !d.inlineReply);
    return;
  }
  const engine = d.engine();
  const chat = engine?.chat(a.chatId);
  if (!engine || !chat || !isCollaborateChat(chat)) {
    d.log(`notification ${a.kind} for an unknown chat: opening the popup instead`);
    d.openChat(target, false);
    return;
  }
  if (a.kind === 'reply') {
    const text = a.text.trim();
    if (!text) return;
    if (text.length > MAX_REPLY) {
      d.log('notification reply too long: opening the conversation instead');
      d.openChat(target, true);
      return;
    }
    void engine
      .act({ kind: 'reply', chat, text, ...(a.threadId ? { threadId: a.threadId } : {}) })
      .catch((err: unknown) => d.log(`notification reply refused: ${String(err)}`));
    return;
  }
  if (a.id === 'mark-read') {
    engine.markRead(a.chatId);
    return;
  }
  void engine
    .act({ kind: 'react', chat, messageId: a.messageId, emoji: QUICK_REACTION, on: true })
    .catch((err: unknown) => d.log(`notification reaction refused: ${String(err)}`));
}

/**
 * A customer conversation's notification: a click opens its transcript; Accept and Decline go to
 * the messaging source at once, an inline reply is queued in the outbox (`engine.messaging()`); a
 * refusal opens the transcript, where the user sees where the conversation stands.
 */
function routeInteraction(a: NotificationActivation, d: ActivationDeps): void {
  const id = a.chatId;
  const isOffer = a.messageId.startsWith('offer:');
  if (a.kind === 'click') return d.openInteraction(id, !d.inlineReply && !isOffer);
  const messaging = d.engine()?.messaging();
  if (!messaging) {
    d.log(`notification ${a.kind} for a customer conversation without messaging: opening the popup`);
    return d.openInteraction(id, false);
  }
  const refused = (what: string) => (err: unknown) => {
    d.log(`notification ${what} refused: ${String(err)}`);
    d.openInteraction(id, false);
  };
  if (a.kind === 'reply') {
    const text = a.text.trim();
    if (!text) return;
    if (text.length > MAX_REPLY) return d.openInteraction(id, true);
    void messaging.reply(id, text).catch(refused('reply'));
    return;
  }
  if (a.id === 'accept') void messaging.accept(id).catch(refused('accept'));
  else if (a.id === 'decline') void messaging.decline(id).catch(refused('decline'));
  else d.openInteraction(id, false);
}
