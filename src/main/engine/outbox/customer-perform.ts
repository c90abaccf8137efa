// Carries out one outbox action on a customer conversation (Messaging Conversations API) through the
// messaging source's actions. A reply whose earlier attempt may have landed is looked for in the
// transcript first; an end or a wrap-up already in place counts as done (both are idempotent).
import { unreachable } from '../../../shared/domain/kinds.ts';
import type { CustomerAction } from './schema.ts';
import type { Performed } from './perform.ts';

/** One of the user's own (agent) messages in a customer conversation, as the transcript reads it. */
export interface OwnMessage {
  id: string;
  text: string;
  /** The server's time of the message, epoch ms. */
  at: number;
}

/**
 * What the outbox needs of the messaging source (implemented by MessagingActions): each call acts on
 * the user's LAST agent participant at the time of the call (a re-routed agent gets a new one).
 */
export interface CustomerPerformer {
  /** Posts `text` on the communication of the user's last agent participant; the new message's id. */
  sendReply(conversationId: string, text: string): Promise<string>;
  /** Every message the user wrote in the conversation (any of their agent participants), oldest first. */
  ownMessages(conversationId: string): Promise<OwnMessage[]>;
  /** Ends the user's part; resolves without a request when it has already ended. */
  endInteraction(conversationId: string): Promise<void>;
  /** Applies a wrap-up; resolves without a request when one is already given. */
  applyWrapup(conversationId: string, code: string, notes?: string): Promise<void>;
}

export interface CustomerContext {
  /** Replies: an earlier attempt from this time (local clock) on may have posted it. */
  unsureSince?: number;
  skewMs: number;
  /** Message ids other outbox items recorded as theirs. */
  claimed: ReadonlySet<string>;
}

export async function performCustomer(
  performer: CustomerPerformer,
  action: CustomerAction,
  ctx: CustomerContext,
): Promise<Performed> {
  const conversationId = action.chat.id;
  switch (action.kind) {
    case 'reply': {
      if (ctx.unsureSince !== undefined) {
        const found = await findLandedCustomerReply(performer, conversationId, action.text, {
          since: ctx.unsureSince,
          skewMs: ctx.skewMs,
          claimed: ctx.claimed,
        });
        if (found) return { messageId: found, recovered: true };
      }
      return { messageId: await performer.sendReply(conversationId, action.text) };
    }
    case 'end':
      await performer.endInteraction(conversationId);
      return {};
    case 'wrapup':
      await performer.applyWrapup(conversationId, action.code, action.notes);
      return {};
    default:
      return unreachable(action, 'customer action');
  }
}

/**
 * The oldest message of the user in the conversation, dated after `since - skewMs`, with the reply's
 * text, that no other item claimed; undefined when there is none. The limits of landed-reply.ts apply
 * (the same words sent from another client inside the window are taken for this reply).
 */
export async function findLandedCustomerReply(
  performer: CustomerPerformer,
  conversationId: string,
  text: string,
  q: { since: number; skewMs: number; claimed: ReadonlySet<string> },
): Promise<string | undefined> {
  const wanted = text.trim();
  const after = q.since - q.skewMs;
  const mine = await performer.ownMessages(conversationId);
  return mine.find((m) => m.at >= after && m.text.trim() === wanted && !q.claimed.has(m.id))?.id;
}
