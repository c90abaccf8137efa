// The messaging part of the control interface (`sim.control.messaging`): customers write (through
// the inbound Open Messaging code path), the agents' replies and typing are read back, offers are
// timed out, conversations re-offered or re-routed, permissions and OAuth client scopes set.
import { iso } from '../clock.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { ChatStore } from '../store.ts';
import type { MessagingContext } from './context.ts';
import { CUSTOMERS } from './demo.ts';
import { receiveEvent, receiveMessage, receiveReceipt } from './inbound.ts';
import type { ConversationRecord, CustomerRecord, ParticipantRecord } from './model.ts';
import { agentsOf, displayName } from './model.ts';
import type { CustomerTraffic } from './traffic.ts';
import { customerMessageBody } from './traffic.ts';
import type { IdType, ReceiptStatus, RoutingStatus } from './vocabulary.ts';

export interface ControlParticipant {
  id: string;
  purpose: string;
  name: string;
  userId?: string;
  state: string;
  /** How the communication ended (`client`: declined or ended by the agent; `transfer.noanswer`: timed out). */
  disconnectType?: string;
  communicationId: string;
  wrapupRequired: boolean;
  wrapupCode?: string;
}

export interface ControlConversation {
  id: string;
  customer: { id: string; idType: IdType; name: string };
  ended: boolean;
  participants: ControlParticipant[];
  messages: { id: string; author: string; text?: string; status: string; time: string }[];
}

export interface CustomerInput {
  /** A demo customer (id or nickname) or any customer id. */
  customer?: string | { id: string; idType?: IdType; nickname?: string };
  text?: string;
  /** Adds an image attachment. */
  attachment?: boolean;
  /** The platform's own message id (a repeat is answered with the first message, not doubled). */
  providerMessageId?: string;
}

export interface MessagingControl {
  integration(): { id: string; name: string; queueId: string; wrapupCodes: { id: string; name: string }[] };
  customerWrites(input?: CustomerInput): { conversationId: string; messageId: string; created: boolean };
  customerTyping(input: { customer: CustomerInput['customer']; durationMs?: number }): {
    conversationId: string | null;
  };
  customerReceipt(input: { messageId: string; status: ReceiptStatus }): void;
  /** What agents sent to customers (newest last), optionally for one conversation. */
  sent(conversationId?: string): {
    conversationId: string;
    messageId: string;
    userId: string;
    customerId: string;
    text: string;
    time: string;
  }[];
  /** Typing indicators agents sent. */
  typing(
    conversationId?: string,
  ): { conversationId: string; communicationId: string; userId: string; time: string }[];
  conversations(): ControlConversation[];
  conversation(id: string): ControlConversation;
  /** Ends every alerting offer of the conversation as if its alerting timeout had passed. */
  timeoutOffer(conversationId: string): number;
  /** Offers a conversation waiting in the queue to a user (the agent on duty by default). */
  offer(conversationId: string, user?: string): ControlParticipant;
  /** Moves the conversation to a new agent participant (same user by default), alerting or connected. */
  reroute(
    conversationId: string,
    options?: { user?: string; state?: 'alerting' | 'connected' },
  ): ControlParticipant;
  agents(): { userId: string; name: string; permitted: boolean; routingStatus: RoutingStatus }[];
  setPermission(user: string, enabled: boolean): void;
  /** The scopes an OAuth client id was granted (null: every scope, the default). */
  setClientScopes(clientId: string, scopes: string[] | null): void;
  configure(settings: {
    alertingTimeoutMs?: number;
    textBody?: boolean;
    bulkOrder?: 'newest-first' | 'oldest-first';
    agent?: string;
  }): void;
  /** Runs one customer-traffic action now. */
  customerTick(): string | null;
}

function participantJson(p: ParticipantRecord): ControlParticipant {
  return {
    id: p.id,
    purpose: p.purpose,
    name: p.name,
    ...(p.userId ? { userId: p.userId } : {}),
    state: p.communication.state,
    ...(p.communication.disconnectType ? { disconnectType: p.communication.disconnectType } : {}),
    communicationId: p.communication.id,
    wrapupRequired: p.wrapupRequired,
    ...(p.wrapup ? { wrapupCode: p.wrapup.code } : {}),
  };
}

export function createMessagingControl(
  ctx: MessagingContext,
  chat: ChatStore,
  traffic: CustomerTraffic,
): MessagingControl {
  const { store, routing } = ctx;
  const userId = (ref: string): string => {
    const user = typeof ref === 'string' ? chat.findUser(ref) : undefined;
    if (!user) throw notFound(`No demo user matches '${String(ref)}'.`, 'user.not.found');
    return user.id;
  };
  const conversationById = (id: string): ConversationRecord => {
    const c = store.conversations.get(id);
    if (!c) throw notFound(`No conversation '${String(id).slice(0, 80)}'.`);
    return c;
  };
  const customerOf = (ref: CustomerInput['customer']): CustomerRecord => {
    if (ref === undefined) return CUSTOMERS[0] as CustomerRecord;
    if (typeof ref === 'object')
      return {
        id: ref.id,
        idType: ref.idType ?? 'Opaque',
        ...(ref.nickname ? { nickname: ref.nickname } : {}),
      };
    return CUSTOMERS.find((c) => c.id === ref || c.nickname === ref) ?? { id: ref, idType: 'Opaque' };
  };
  const json = (c: ConversationRecord): ControlConversation => ({
    id: c.id,
    customer: { id: c.customer.id, idType: c.customer.idType, name: displayName(c.customer) },
    ended: c.endMs !== undefined,
    participants: c.participants.map(participantJson),
    messages: store.messagesOf(c).map((m) => ({
      id: m.id,
      author: m.author,
      ...(m.text !== undefined ? { text: m.text } : {}),
      status: m.status,
      time: iso(m.timeMs),
    })),
  });

  return {
    integration: () => ({
      id: ctx.integration.id,
      name: ctx.integration.name,
      queueId: ctx.integration.queue.id,
      wrapupCodes: ctx.integration.queue.wrapupCodes.map((w) => ({ id: w.id, name: w.name })),
    }),
    customerWrites: (input = {}) => {
      const text = input.text ?? (input.attachment ? undefined : 'Hello, I have a question about my order.');
      const body = customerMessageBody(customerOf(input.customer), text, store.clock.now(), {
        ...(input.providerMessageId ? { providerMessageId: input.providerMessageId } : {}),
        ...(input.attachment ? { attachment: true } : {}),
      });
      const result = receiveMessage(ctx, ctx.integration, body);
      return {
        conversationId: result.conversation.id,
        messageId: result.message.id,
        created: result.created,
      };
    },
    customerTyping: (input) => {
      const customer = customerOf(input.customer);
      const result = receiveEvent(ctx, ctx.integration, {
        channel: { from: { id: customer.id, idType: customer.idType }, time: iso(store.clock.now()) },
        events: [
          {
            eventType: 'Typing',
            typing: { type: 'On', ...(input.durationMs !== undefined ? { duration: input.durationMs } : {}) },
          },
        ],
      });
      return { conversationId: result.conversation?.id ?? null };
    },
    customerReceipt: (input) => {
      const message = store.messages.get(input.messageId);
      const c = message ? store.conversations.get(message.conversationId) : undefined;
      if (!c) throw notFound(`No message '${String(input.messageId).slice(0, 80)}'.`);
      receiveReceipt(ctx, c.integration, {
        id: input.messageId,
        channel: { to: { id: c.customer.id, idType: c.customer.idType }, time: iso(store.clock.now()) },
        status: input.status,
      });
    },
    sent: (conversationId) =>
      store.outbox
        .filter((o) => conversationId === undefined || o.conversationId === conversationId)
        .map(({ timeMs, ...o }) => ({ ...o, time: iso(timeMs) })),
    typing: (conversationId) =>
      store.typingLog
        .filter((t) => conversationId === undefined || t.conversationId === conversationId)
        .map(({ timeMs, ...t }) => ({ ...t, time: iso(timeMs) })),
    conversations: () => [...store.conversations.values()].map(json),
    conversation: (id) => json(conversationById(id)),
    timeoutOffer: (id) => {
      const c = conversationById(id);
      const alerting = agentsOf(c).filter((p) => p.communication.state === 'alerting');
      for (const p of alerting) routing.timeout(c, p);
      return alerting.length;
    },
    offer: (id, user) => {
      const c = conversationById(id);
      if (c.endMs !== undefined) throw badRequest('The conversation has ended.');
      if (agentsOf(c).some((p) => p.communication.state !== 'disconnected')) {
        throw badRequest('The conversation is already with an agent: use reroute.');
      }
      return participantJson(routing.offer(c, user === undefined ? ctx.settings.agentUserId : userId(user)));
    },
    reroute: (id, options = {}) => {
      const c = conversationById(id);
      if (c.endMs !== undefined) throw badRequest('The conversation has ended.');
      const target = options.user === undefined ? ctx.settings.agentUserId : userId(options.user);
      return participantJson(routing.reroute(c, target, options.state ?? 'connected'));
    },
    agents: () =>
      [...chat.users.values()].map((u) => ({
        userId: u.id,
        name: u.name,
        permitted: store.permitted.has(u.id),
        routingStatus: store.routingStatus.get(u.id) ?? 'IDLE',
      })),
    setPermission: (user, enabled) => {
      if (typeof enabled !== 'boolean') throw badRequest("'enabled' must be true or false.");
      if (enabled) store.permitted.add(userId(user));
      else store.permitted.delete(userId(user));
    },
    setClientScopes: (clientId, scopes) => {
      if (typeof clientId !== 'string' || clientId === '') throw badRequest("'clientId' is required.");
      ctx.scopes.set(clientId, scopes);
    },
    configure: (settings) => {
      if (settings.alertingTimeoutMs !== undefined) {
        const ms = settings.alertingTimeoutMs;
        if (!Number.isInteger(ms) || ms < 1 || ms > 86_400_000) {
          throw badRequest("'alertingTimeoutMs' must be an integer between 1 and 86400000.");
        }
        routing.options.alertingTimeoutMs = ms;
      }
      if (settings.textBody !== undefined) ctx.settings.textBody = settings.textBody;
      if (settings.bulkOrder !== undefined) ctx.settings.bulkOrder = settings.bulkOrder;
      if (settings.agent !== undefined) ctx.settings.agentUserId = userId(settings.agent);
    },
    customerTick: () => traffic.tick(),
  };
}
