// Whether a customer-conversation event notifies, waits, or stays silent: the offer semantics the
// engine's rules take on for the messaging source. Pure, like `engine/rules.ts`:
// - an offer always notifies: do-not-disturb and quiet hours do NOT hold it (an agent on queue must
//   see it; letting it time out makes the agent Not Responding), and no mute applies (a conversation
//   cannot be muted before it exists);
// - an offer that ends (accepted, declined, timed out, the customer left) withdraws its notification;
// - a customer message follows the user's rules: a muted conversation is silent, do-not-disturb and
//   quiet hours hold it; the Genesys chat settings (`server.muted`, mentions only) are about internal
//   chat and do not apply;
// - a `context` message (inside an offer, or while the user is not connected) never notifies.
import type { ChatEvent, ChatMessage } from '../engine/model.ts';
import {
  activeHold,
  hostClock,
  isChatMuted,
  type Decision,
  type DecisionContext,
  type HoldCause,
} from '../engine/rules.ts';
import type { CustomerEventKind, MessagingEvent } from './types.ts';

export type CustomerNotifyKind = 'offer' | 'customer';

export type CustomerDecision =
  | { action: 'notify'; kind: CustomerNotifyKind }
  | { action: 'hold'; kind: 'customer'; heldBy: HoldCause }
  | { action: 'ignore'; reason: 'context' | 'chat-muted' }
  | { action: 'withdraw'; chatId: string; messageId: string };

export function decideCustomerEvent(event: MessagingEvent, ctx: DecisionContext): CustomerDecision {
  if (event.type === 'deleted')
    return { action: 'withdraw', chatId: event.chatId, messageId: event.messageId };
  const { message } = event;
  if (message.customerKind === 'offer') return { action: 'notify', kind: 'offer' };
  if (message.customerKind === 'context') return { action: 'ignore', reason: 'context' };
  if (isChatMuted(ctx.app, message.chatId, ctx.now)) return { action: 'ignore', reason: 'chat-muted' };
  const heldBy = activeHold(ctx.app, ctx.now, ctx.localTime ?? hostClock);
  return heldBy ? { action: 'hold', kind: 'customer', heldBy } : { action: 'notify', kind: 'customer' };
}

/**
 * The engine's decision for an event of a customer conversation (`chat.kind === 'customer'`): the
 * pipeline asks this instead of `decide`. Only created and deleted events come from the messaging
 * source; anything else of a customer conversation is ignored as context.
 */
export function decideCustomerChatEvent(event: ChatEvent, ctx: DecisionContext): Decision {
  if (event.type === 'deleted')
    return { action: 'withdraw', chatId: event.chatId, messageId: event.messageId };
  if (event.type !== 'created') return { action: 'ignore', reason: 'context' };
  const d = decideCustomerEvent(
    {
      type: 'created',
      source: event.source,
      message: {
        ...event.message,
        chatKind: 'customer',
        customerKind: customerKindOf(event.message),
        channel: '',
        attachments: [],
      },
    },
    ctx,
  );
  switch (d.action) {
    case 'notify':
      return { action: 'notify', kind: d.kind, reason: d.kind };
    case 'hold':
      return { action: 'hold', kind: d.kind, reason: d.kind, heldBy: d.heldBy };
    case 'ignore':
      return { action: 'ignore', reason: d.reason };
    case 'withdraw':
      return d;
  }
}

/** What a customer conversation's message is for the rules; a message without one is context. */
function customerKindOf(message: ChatMessage): CustomerEventKind {
  return message.customerKind ?? 'context';
}

/** When an offer stops alerting (epoch ms), if the message is an offer that says. */
export function offerExpiry(message: ChatMessage): number | undefined {
  return message.offer?.expiresAt;
}
