// The integration side: how customers arrive. Inbound Open Messaging (seed 004 endpoints 8, 9, 10)
// with a client-credentials token and the `messaging` scope, and the open integrations listing.
// The control interface calls the same functions, so a simulated customer takes the real path.
import type { ApiRoute } from '../context.ts';
import { ok } from '../context.ts';
import { boolParam, intParam } from '../api/query.ts';
import { parseWith } from '../api/schemas.ts';
import { notFound } from '../http/errors.ts';
import { requireIntegrationClient, requireScopes } from './access.ts';
import type { MessagingContext } from './context.ts';
import type { ConversationRecord, IntegrationRecord, MessageEntry } from './model.ts';
import type { InboundEvent, InboundMessage, InboundReceipt } from './requests.ts';
import { inboundEventSchema, inboundMessageSchema, inboundReceiptSchema } from './requests.ts';
import { SCOPES } from './vocabulary.ts';
import { integrationJson, openEventAnswer, openMessageAnswer, openReceiptAnswer } from './wire-message.ts';
import { BASE, pageJson } from './wire-rest.ts';

const INTEGRATIONS = '/api/v2/conversations/messaging/integrations/open';
const DEFAULT_TYPING_MS = 5000;

export function integrationFor(ctx: MessagingContext, id: string): IntegrationRecord {
  const integration = ctx.store.integrations.get(id);
  if (!integration) throw notFound(`Open messaging integration '${id.slice(0, 80)}' was not found.`);
  return integration;
}

export interface InboundResult {
  conversation: ConversationRecord;
  message: MessageEntry;
  created: boolean;
}

/** A customer's message; a new conversation is offered to the agent on duty. */
export function receiveMessage(
  ctx: MessagingContext,
  integration: IntegrationRecord,
  body: unknown,
): InboundResult {
  const input: InboundMessage = parseWith(inboundMessageSchema, body);
  const result = ctx.store.inboundMessage(integration, input);
  if (result.duplicate) return { conversation: result.conversation, message: result.message, created: false };
  const agent = ctx.settings.agentUserId;
  if (result.created && ctx.store.permitted.has(agent) && ctx.user(agent)) {
    ctx.routing.offer(result.conversation, agent);
  } else {
    ctx.store.changed(result.conversation);
  }
  return { conversation: result.conversation, message: result.message, created: result.created };
}

/** The customer is typing: the agents of their current conversation see a typing event. */
export function receiveEvent(
  ctx: MessagingContext,
  integration: IntegrationRecord,
  body: unknown,
): { input: InboundEvent; conversation: ConversationRecord | undefined; durationMs: number } {
  const input = parseWith(inboundEventSchema, body);
  const conversation = ctx.store.activeFor(integration, input.channel.from.id);
  const durationMs = input.events[0]?.typing?.duration ?? DEFAULT_TYPING_MS;
  if (conversation) ctx.store.emit({ type: 'typing', conversation, durationMs });
  return { input, conversation, durationMs };
}

/** What became of an agent's message on the customer's side (delivered, read, failed). */
export function receiveReceipt(
  ctx: MessagingContext,
  integration: IntegrationRecord,
  body: unknown,
): { input: InboundReceipt; message: MessageEntry } {
  const input = parseWith(inboundReceiptSchema, body);
  const message = ctx.store.messages.get(input.id);
  const conversation = message ? ctx.store.conversations.get(message.conversationId) : undefined;
  if (
    !message ||
    !conversation ||
    conversation.integration !== integration ||
    message.direction !== 'outbound'
  ) {
    throw notFound(`No outbound message '${input.id.slice(0, 80)}' was sent through this integration.`);
  }
  ctx.store.inboundReceipt(message, input.status);
  ctx.store.changed(conversation);
  return { input, message };
}

export function inboundRoutes(ctx: MessagingContext): ApiRoute[] {
  const { scopes } = ctx;
  const INBOUND = `${BASE}/:integrationId/inbound/open`;
  return [
    {
      method: 'POST',
      path: `${INBOUND}/message`,
      body: 'json',
      handler: (r) => {
        requireIntegrationClient(scopes, r.caller);
        const integration = integrationFor(ctx, r.params.integrationId as string);
        const { conversation, message } = receiveMessage(ctx, integration, r.body);
        const prefetch = boolParam(r.query, 'prefetchConversationId') === true;
        return ok(openMessageAnswer(conversation, message, prefetch));
      },
    },
    {
      method: 'POST',
      path: `${INBOUND}/event`,
      body: 'json',
      handler: (r) => {
        requireIntegrationClient(scopes, r.caller);
        const integration = integrationFor(ctx, r.params.integrationId as string);
        const { input, durationMs } = receiveEvent(ctx, integration, r.body);
        const from = input.channel.from;
        return ok(
          openEventAnswer(
            ctx.store.rng.uuid(),
            integration,
            { id: from.id, idType: from.idType, ...(from.nickname ? { nickname: from.nickname } : {}) },
            Date.parse(input.channel.time),
            durationMs,
          ),
        );
      },
    },
    {
      method: 'POST',
      path: `${INBOUND}/receipt`,
      body: 'json',
      handler: (r) => {
        requireIntegrationClient(scopes, r.caller);
        const integration = integrationFor(ctx, r.params.integrationId as string);
        return ok(openReceiptAnswer(integration, receiveReceipt(ctx, integration, r.body).input));
      },
    },
    {
      method: 'GET',
      path: INTEGRATIONS,
      handler: (r) => {
        requireScopes(scopes, r.caller, [SCOPES.messaging, SCOPES.messagingReadonly]);
        const pageSize = intParam(r.query, 'pageSize', 25, 1, 500);
        const pageNumber = intParam(r.query, 'pageNumber', 1, 1, 100_000);
        const all = [...ctx.store.integrations.values()];
        const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(integrationJson);
        return ok(pageJson(page, pageSize, pageNumber, all.length, INTEGRATIONS));
      },
    },
    {
      method: 'GET',
      path: `${INTEGRATIONS}/:integrationId`,
      handler: (r) => {
        requireScopes(scopes, r.caller, [SCOPES.messaging, SCOPES.messagingReadonly]);
        return ok(integrationJson(integrationFor(ctx, r.params.integrationId as string)));
      },
    },
  ];
}
