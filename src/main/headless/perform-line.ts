// Carries out one action line of the headless runner on the engine: chat actions through the outbox,
// customer-conversation lines through the customer desk, and the runner's own (state, sign-in, ...).
import type { AuthSession } from '../auth/session.ts';
import type { Engine } from '../engine/engine.ts';
import type { ChatRef } from '../engine/model.ts';
import type { Environment } from '../genesys/environment.ts';
import { environmentUrls, type Network } from '../net/network.ts';
import { isCollaborateChat, type CollaborateChatRef } from '../../shared/domain/chat-ref.ts';
import { customerAction, isCustomerConversation, replyToCustomer } from './customer-actions.ts';
import { stateLine } from './lines.ts';
import type { ActionLine, OutputLine } from './protocol.ts';

export interface LineContext {
  engine: Engine;
  session: AuthSession;
  network: Network;
  env: Environment;
  about: { name: string; version: string };
  beginSignIn(): void;
}

export async function performLine(c: LineContext, a: ActionLine): Promise<OutputLine> {
  const { engine } = c;
  switch (a.type) {
    case 'state':
      return stateLine(engine.state.get());
    case 'diagnostics':
      return {
        type: 'diagnostics',
        report: {
          ...engine.diagnostics(c.about),
          network: await c.network.report(environmentUrls(c.env)),
        },
      };
    case 'sign-in': {
      if (c.session.state === 'signed-in' && engine.user) throw new Error('Already signed in.');
      c.beginSignIn();
      return { type: 'result', ok: true, action: a.type };
    }
    case 'resync':
      engine.resync('manual');
      return { type: 'result', ok: true, action: a.type };
    case 'read':
      engine.markRead(a.chatId);
      return { type: 'result', ok: true, action: a.type };
    case 'react': {
      const chat = collaborate(a.chatId ? chatOf(engine, a.chatId) : await engine.chatOfMessage(a.messageId));
      return queued(a.type, engine, {
        kind: 'react',
        chat,
        messageId: a.messageId,
        emoji: a.emoji,
        on: a.on ?? true,
      });
    }
    case 'reply':
      // A customer conversation's id (not a chat of the roster): the reply goes to the customer.
      if (isCustomerConversation(engine, a.chatId)) return replyToCustomer(engine, a.chatId, a.text);
      return queued(a.type, engine, {
        kind: 'reply',
        chat: chatOf(engine, a.chatId),
        text: a.text,
        ...(a.threadId ? { threadId: a.threadId } : {}),
        ...(a.mentions ? { mentions: a.mentions } : {}),
      });
    case 'pin':
    case 'unpin':
    case 'delete':
      return queued(a.type, engine, { kind: a.type, chat: chatOf(engine, a.chatId), messageId: a.messageId });
    case 'accept':
    case 'decline':
    case 'end':
    case 'wrapup':
      return customerAction(engine, a);
    case 'edit':
      return queued(a.type, engine, {
        kind: 'edit',
        chat: chatOf(engine, a.chatId),
        messageId: a.messageId,
        text: a.text,
      });
  }
}

async function queued(
  action: ActionLine['type'],
  engine: Engine,
  input: Parameters<Engine['act']>[0],
): Promise<OutputLine> {
  const item = await engine.act(input);
  return { type: 'result', ok: true, action, id: item.id, state: item.state };
}

function chatOf(engine: Engine, chatId: string): CollaborateChatRef {
  const chat = engine.chat(chatId);
  if (!chat) throw new Error(`Unknown chat ${chatId}: use a chatId from a notification or the roster.`);
  return collaborate(chat);
}

function collaborate(chat: ChatRef): CollaborateChatRef {
  if (!isCollaborateChat(chat))
    throw new Error('A customer conversation takes only reply, accept, decline, end and wrapup.');
  return chat;
}
