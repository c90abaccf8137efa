// HTTP routes of the messaging control interface, under /_sim/messaging (JSON in and out):
//
//   GET  /_sim/messaging                          the integration, its queue and wrap-up codes
//   GET  /_sim/messaging/conversations            every conversation (participants, messages)
//   GET  /_sim/messaging/conversations/:id
//   POST /_sim/messaging/customer-messages        {customer?, text?, attachment?, providerMessageId?}
//   POST /_sim/messaging/customer-typing          {customer, durationMs?}
//   POST /_sim/messaging/receipts                 {messageId, status}
//   GET  /_sim/messaging/sent[?conversationId=]   what agents sent
//   GET  /_sim/messaging/typing[?conversationId=] typing indicators agents sent
//   POST /_sim/messaging/conversations/:id/timeout
//   POST /_sim/messaging/conversations/:id/offer   {user?}
//   POST /_sim/messaging/conversations/:id/reroute {user?, state?}
//   GET  /_sim/messaging/agents
//   PUT  /_sim/messaging/permissions              {user, enabled}
//   PUT  /_sim/messaging/client-scopes            {clientId, scopes: string[] | null}
//   PUT  /_sim/messaging/settings                 {alertingTimeoutMs?, textBody?, bulkOrder?, agent?}
//   POST /_sim/messaging/tick                     one customer-traffic action
import { z } from 'zod';
import { parseWith } from '../api/schemas.ts';
import type { ControlRoute } from '../control/routes.ts';
import { IdType, ReceiptStatus } from './vocabulary.ts';

const str = z.string().min(1).max(1000);
const customer = z.union([
  str,
  z.object({ id: str, idType: IdType.optional(), nickname: z.string().max(200).optional() }),
]);

const schemas = {
  write: z.object({
    customer: customer.optional(),
    text: z.string().min(1).max(4000).optional(),
    attachment: z.boolean().optional(),
    providerMessageId: str.optional(),
  }),
  typing: z.object({ customer, durationMs: z.int().min(0).max(60_000).optional() }),
  receipt: z.object({ messageId: str, status: ReceiptStatus }),
  offer: z.object({ user: str.optional() }),
  reroute: z.object({ user: str.optional(), state: z.enum(['alerting', 'connected']).optional() }),
  permission: z.object({ user: str, enabled: z.boolean() }),
  scopes: z.object({ clientId: str, scopes: z.array(z.string().min(1).max(200)).max(200).nullable() }),
  settings: z.object({
    alertingTimeoutMs: z.int().min(1).max(86_400_000).optional(),
    textBody: z.boolean().optional(),
    bulkOrder: z.enum(['newest-first', 'oldest-first']).optional(),
    agent: str.optional(),
  }),
};

/** Drops keys whose value is undefined (the control methods take exact optional properties). */
function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const P = '/_sim/messaging';
const id = (params: Record<string, string>): string => params.id as string;

export const messagingControlRoutes: ControlRoute[] = [
  { method: 'GET', path: P, handler: (c) => c.messaging.integration() },
  { method: 'GET', path: `${P}/conversations`, handler: (c) => c.messaging.conversations() },
  {
    method: 'GET',
    path: `${P}/conversations/:id`,
    handler: (c, r) => c.messaging.conversation(id(r.params)),
  },
  {
    method: 'POST',
    path: `${P}/customer-messages`,
    handler: (c, r) => c.messaging.customerWrites(defined(parseWith(schemas.write, r.body))),
  },
  {
    method: 'POST',
    path: `${P}/customer-typing`,
    handler: (c, r) => c.messaging.customerTyping(defined(parseWith(schemas.typing, r.body))),
  },
  {
    method: 'POST',
    path: `${P}/receipts`,
    handler: (c, r) => c.messaging.customerReceipt(parseWith(schemas.receipt, r.body)),
  },
  {
    method: 'GET',
    path: `${P}/sent`,
    handler: (c, r) => c.messaging.sent(r.query.get('conversationId') ?? undefined),
  },
  {
    method: 'GET',
    path: `${P}/typing`,
    handler: (c, r) => c.messaging.typing(r.query.get('conversationId') ?? undefined),
  },
  {
    method: 'POST',
    path: `${P}/conversations/:id/timeout`,
    handler: (c, r) => ({ timedOut: c.messaging.timeoutOffer(id(r.params)) }),
  },
  {
    method: 'POST',
    path: `${P}/conversations/:id/offer`,
    handler: (c, r) => c.messaging.offer(id(r.params), parseWith(schemas.offer, r.body).user),
  },
  {
    method: 'POST',
    path: `${P}/conversations/:id/reroute`,
    handler: (c, r) => c.messaging.reroute(id(r.params), defined(parseWith(schemas.reroute, r.body))),
  },
  { method: 'GET', path: `${P}/agents`, handler: (c) => c.messaging.agents() },
  {
    method: 'PUT',
    path: `${P}/permissions`,
    handler: (c, r) => {
      const input = parseWith(schemas.permission, r.body);
      c.messaging.setPermission(input.user, input.enabled);
    },
  },
  {
    method: 'PUT',
    path: `${P}/client-scopes`,
    handler: (c, r) => {
      const input = parseWith(schemas.scopes, r.body);
      c.messaging.setClientScopes(input.clientId, input.scopes);
    },
  },
  {
    method: 'PUT',
    path: `${P}/settings`,
    handler: (c, r) => c.messaging.configure(defined(parseWith(schemas.settings, r.body))),
  },
  { method: 'POST', path: `${P}/tick`, handler: (c) => ({ action: c.messaging.customerTick() }) },
];
