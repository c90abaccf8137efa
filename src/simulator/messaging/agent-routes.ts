// The agent side of the Messaging Conversations API for user tokens: seed 004 endpoints 1, 12, 15,
// 17, 18, 19, 20, 25 and 27 (wrap-up, 30-33, is in wrapup-routes.ts), and the generic
// GET /api/v2/conversations/{conversationId}.
import type { ApiRequest, ApiResponse, ApiRoute } from '../context.ts';
import { ok } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseWith } from '../api/schemas.ts';
import { conversationOf, ownCommunication, ownParticipant, requireAgent } from './access.ts';
import type { MessagingContext } from './context.ts';
import { messageDataOptions } from './context.ts';
import type { ConversationRecord, MessageEntry, ParticipantRecord } from './model.ts';
import { MAX_TEXT_LENGTH, bulkSchema, participantPatchSchema, sendSchema, typingSchema } from './requests.ts';
import { messageDataJson } from './wire-message.ts';
import { applyWrapup, wrapupRoutes } from './wrapup-routes.ts';
import { BASE, conversationJson, messageConversationJson, pageJson } from './wire-rest.ts';

const accepted = (body?: unknown): ApiResponse =>
  body === undefined ? { status: 202 } : { status: 202, body };

/** Conversations the user is part of now: alerting or connected, or ended but owing a wrap-up. */
function activeFor(ctx: MessagingContext, userId: string): ConversationRecord[] {
  return [...ctx.store.conversations.values()].filter((c) =>
    c.participants.some(
      (p) =>
        p.userId === userId &&
        (p.communication.state !== 'disconnected' || (p.wrapupRequired && p.wrapup === undefined)),
    ),
  );
}

function messageIn(ctx: MessagingContext, conversation: ConversationRecord, messageId: string): MessageEntry {
  const message = ctx.store.messages.get(messageId);
  if (!message || message.conversationId !== conversation.id) {
    throw notFound(`Message '${messageId.slice(0, 80)}' was not found in this conversation.`);
  }
  return message;
}

/** The participant's state change: accept or decline an offer, or end the interaction. */
function patchParticipant(
  ctx: MessagingContext,
  c: ConversationRecord,
  p: ParticipantRecord,
  state: string,
): void {
  const current = p.communication.state;
  if (state === 'connected') {
    if (current === 'alerting') ctx.routing.accept(c, p);
    else if (current === 'disconnected') {
      throw badRequest(`Participant '${p.id}' has ended and cannot be connected again.`, 'bad.request');
    }
    return;
  }
  if (state === 'disconnected') {
    if (current === 'alerting') ctx.routing.decline(c, p);
    else if (current === 'connected') ctx.routing.end(c, p);
    return;
  }
  throw badRequest(
    `The state '${state}' cannot be set on a message participant: use connected or disconnected.`,
  );
}

function sendText(ctx: MessagingContext, r: ApiRequest): ApiResponse {
  const userId = requireAgent(ctx.store, ctx.scopes, r, 'write');
  const c = conversationOf(ctx.store, r.params.conversationId as string, userId);
  const owner = ownCommunication(ctx.store, c, r.params.communicationId as string, userId);
  const input = parseWith(sendSchema, r.body);
  const given = (['textBody', 'mediaIds', 'messagingTemplate'] as const).filter(
    (k) => input[k] !== undefined,
  );
  if (given.length !== 1) {
    throw badRequest(
      given.length === 0
        ? 'One of textBody, mediaIds or messagingTemplate is required.'
        : `Only one of textBody, mediaIds or messagingTemplate may be given (got ${given.join(' and ')}).`,
    );
  }
  if (input.textBody === undefined) {
    throw badRequest('Media and messaging templates are not available in this simulator: send textBody.');
  }
  if (input.textBody.trim() === '') throw badRequest('textBody must not be empty.');
  if (input.textBody.length > MAX_TEXT_LENGTH) {
    throw badRequest(`textBody exceeds the ${MAX_TEXT_LENGTH} characters this channel accepts.`);
  }
  if (owner.communication.state !== 'connected') {
    throw badRequest(
      `Communication '${owner.communication.id}' is ${owner.communication.state}: messages can only be sent on a connected communication.`,
    );
  }
  const message = ctx.routing.send(c, owner, input.textBody);
  return ok(messageDataJson(c, message, messageDataOptions(ctx)));
}

export function agentRoutes(ctx: MessagingContext): ApiRoute[] {
  const { store, scopes } = ctx;
  const agent = (r: ApiRequest, mode: 'read' | 'write'): string => requireAgent(store, scopes, r, mode);
  const conversation = (r: ApiRequest, userId: string): ConversationRecord =>
    conversationOf(store, r.params.conversationId as string, userId);
  const data = (c: ConversationRecord, m: MessageEntry): unknown =>
    messageDataJson(c, m, messageDataOptions(ctx));

  return [
    {
      method: 'GET',
      path: BASE,
      handler: (r) => {
        const list = activeFor(ctx, agent(r, 'read')).map((c) => messageConversationJson(store, c));
        return ok(pageJson(list, Math.max(25, list.length), 1, list.length, BASE));
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:messageId/details`,
      handler: (r) => {
        const userId = agent(r, 'read');
        const message = store.messages.get(r.params.messageId as string);
        if (!message)
          throw notFound(`Message '${(r.params.messageId as string).slice(0, 80)}' was not found.`);
        return ok(data(conversationOf(store, message.conversationId, userId), message));
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:conversationId`,
      handler: (r) => ok(messageConversationJson(store, conversation(r, agent(r, 'read')))),
    },
    {
      method: 'POST',
      path: `${BASE}/:conversationId/communications/:communicationId/messages`,
      body: 'json',
      handler: (r) => sendText(ctx, r),
    },
    {
      method: 'POST',
      path: `${BASE}/:conversationId/communications/:communicationId/typing`,
      body: 'json',
      handler: (r) => {
        const userId = agent(r, 'write');
        const c = conversation(r, userId);
        const owner = ownCommunication(store, c, r.params.communicationId as string, userId);
        parseWith(typingSchema, r.body);
        if (owner.communication.state !== 'connected') {
          throw badRequest(`Communication '${owner.communication.id}' is not connected.`);
        }
        store.logTyping({
          conversationId: c.id,
          communicationId: owner.communication.id,
          userId,
          timeMs: store.clock.now(),
        });
        return accepted();
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:conversationId/messages/bulk`,
      body: 'json',
      handler: (r) => {
        const c = conversation(r, agent(r, 'read'));
        const ids = new Set(parseWith(bulkSchema, r.body));
        const found = [...ids]
          .map((id) => store.messages.get(id))
          .filter((m): m is MessageEntry => m !== undefined && m.conversationId === c.id)
          .sort((a, b) =>
            ctx.settings.bulkOrder === 'newest-first' ? b.timeMs - a.timeMs : a.timeMs - b.timeMs,
          );
        return ok({ entities: found.map((m) => data(c, m)) });
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:conversationId/messages/:messageId`,
      handler: (r) => {
        const c = conversation(r, agent(r, 'read'));
        return ok(data(c, messageIn(ctx, c, r.params.messageId as string)));
      },
    },
    {
      method: 'PATCH',
      path: `${BASE}/:conversationId/participants/:participantId`,
      body: 'json',
      handler: (r) => {
        const userId = agent(r, 'write');
        const c = conversation(r, userId);
        const p = ownParticipant(store, c, r.params.participantId as string, userId);
        const input = parseWith(participantPatchSchema, r.body);
        if (input.wrapup) applyWrapup(ctx, c, p, input.wrapup);
        if (input.state) patchParticipant(ctx, c, p, input.state);
        return accepted();
      },
    },
    {
      method: 'PATCH',
      path: `${BASE}/:conversationId/participants/:participantId/communications/:communicationId`,
      body: 'json',
      handler: (r) => {
        const userId = agent(r, 'write');
        const c = conversation(r, userId);
        const p = ownParticipant(store, c, r.params.participantId as string, userId);
        if (p.communication.id !== r.params.communicationId) {
          throw notFound(
            `Communication '${(r.params.communicationId as string).slice(0, 80)}' is not this participant's.`,
          );
        }
        const input = parseWith(participantPatchSchema, r.body);
        if (input.state && input.state !== 'disconnected') {
          throw badRequest("Only 'disconnected' can be set on a communication.");
        }
        if (input.state) patchParticipant(ctx, c, p, 'disconnected');
        return accepted({});
      },
    },
    ...wrapupRoutes(ctx),
  ];
}

/** GET /api/v2/conversations/{conversationId}: the generic conversation (declared after the literal paths). */
export function genericConversationRoute(ctx: MessagingContext): ApiRoute {
  return {
    method: 'GET',
    path: '/api/v2/conversations/:conversationId',
    handler: (r) => {
      const userId = requireAgent(ctx.store, ctx.scopes, r, 'read');
      return ok(
        conversationJson(ctx.store, conversationOf(ctx.store, r.params.conversationId as string, userId)),
      );
    },
  };
}
