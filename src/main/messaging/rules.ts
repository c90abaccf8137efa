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
import { activeHold, hostClock, isChatMuted, type DecisionContext, type HoldCause } from '../engine/rules.ts';
import type { MessagingEvent } from './types.ts';

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
