// The headless runner's customer-conversation lines (issue 13): accept, decline, end and wrapup on
// the engine's messaging source, and a `reply` whose `chatId` is a customer conversation's id.
// Refused with a clear error when the account has no customer conversations.
import type { Engine } from '../engine/engine.ts';
import type { MessagingSource } from '../messaging/source.ts';
import type { ActionLine, OutputLine } from './protocol.ts';

type CustomerLine = Extract<ActionLine, { type: 'accept' | 'decline' | 'end' | 'wrapup' }>;

function messaging(engine: Engine): MessagingSource {
  const source = engine.messaging();
  if (!source || source.availability().state !== 'available')
    throw new Error('Customer conversations are not available for this account.');
  return source;
}

/** Whether `chatId` names one of the user's customer conversations (and not a chat of the roster). */
export function isCustomerConversation(engine: Engine, chatId: string): boolean {
  if (engine.chat(chatId)) return false;
  return (
    engine
      .messaging()
      ?.list()
      .some((i) => i.conversationId === chatId) ?? false
  );
}

/** A reply to the customer, sent at once on the user's last agent communication. */
export async function replyToCustomer(
  engine: Engine,
  conversationId: string,
  text: string,
): Promise<OutputLine> {
  const sent = await messaging(engine).reply(conversationId, text);
  return { type: 'result', ok: true, action: 'reply', id: sent.id, state: 'sent', messageId: sent.id };
}

export async function customerAction(engine: Engine, a: CustomerLine): Promise<OutputLine> {
  const source = messaging(engine);
  switch (a.type) {
    case 'accept':
      await source.accept(a.conversationId);
      break;
    case 'decline':
      await source.decline(a.conversationId);
      break;
    case 'end':
      await source.end(a.conversationId);
      break;
    case 'wrapup':
      await source.wrapup(a.conversationId, a.code, a.notes);
      break;
  }
  return { type: 'result', ok: true, action: a.type };
}
