// The headless runner's customer-conversation lines (issue 13): accept, decline, end and wrapup on
// the engine's customer desk, and a `reply` whose `chatId` is a customer conversation's id (reply,
// end and wrapup are queued in the outbox like the chat actions: their `action` lines follow).
// Refused with a clear error when the account has no customer conversations.
import type { Engine } from '../engine/engine.ts';
import type { CustomerDesk } from '../messaging/desk.ts';
import type { ActionLine, OutputLine } from './protocol.ts';

type CustomerLine = Extract<ActionLine, { type: 'accept' | 'decline' | 'end' | 'wrapup' }>;

function messaging(engine: Engine): CustomerDesk {
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

/**
 * A reply to the customer, queued in the outbox like a chat reply (`state: queued`; its `action`
 * lines then say `sending` and `sent`), sent on the user's last agent communication of the time.
 */
export async function replyToCustomer(
  engine: Engine,
  conversationId: string,
  text: string,
): Promise<OutputLine> {
  const item = await messaging(engine).reply(conversationId, text);
  return { type: 'result', ok: true, action: 'reply', id: item.id, state: item.state };
}

/** Accept and decline are done at once; end and wrap-up are queued in the outbox (`id`, `state`). */
export async function customerAction(engine: Engine, a: CustomerLine): Promise<OutputLine> {
  const desk = messaging(engine);
  switch (a.type) {
    case 'accept':
      await desk.accept(a.conversationId);
      return { type: 'result', ok: true, action: a.type };
    case 'decline':
      await desk.decline(a.conversationId);
      return { type: 'result', ok: true, action: a.type };
    case 'end': {
      const item = await desk.end(a.conversationId);
      return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
    }
    case 'wrapup': {
      const item = await desk.wrapup(a.conversationId, a.code, a.notes);
      return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
    }
  }
}
