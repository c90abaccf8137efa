// The customer-conversation vocabulary of the IPC contract (issue 13): an interaction as the
// popup lists it, a transcript message, a wrap-up code, and the requests that act on them. Every
// string and array is capped: the renderer is untrusted, and so is what the engine read from the
// network.
import { z } from 'zod';
import { CHANNEL_TYPES } from '../interactions/channels.ts';
import { INTERACTION_LIMITS } from '../interactions/limits.ts';
import { VIEW_LIMITS } from './limits.ts';
import { OutboxItemViewSchema } from './views.ts';

export { INTERACTION_LIMITS };

const notDotSegment = (id: string): boolean => id !== '.' && id !== '..';
/** Conversation and message ids go into API paths: `.` and `..` are never ids. */
export const conversationId = z.string().min(1).max(600).refine(notDotSegment, 'Not a valid id.');
const id = z.string().min(1).max(600);
const name = z.string().max(VIEW_LIMITS.name);
const time = z.number().finite();

export const ChannelTypeSchema = z.enum(CHANNEL_TYPES);

/** Where an interaction stands for this agent. */
export const InteractionStateSchema = z.enum(['offered', 'connected', 'wrapup', 'ended']);

export const SenderRoleSchema = z.enum(['customer', 'agent', 'bot']);

export const InteractionViewSchema = z.object({
  conversationId,
  channel: ChannelTypeSchema,
  customerName: name,
  state: InteractionStateSchema,
  /** When the offer stops alerting (epoch ms): from `alertingTimeoutMs`. */
  offerDeadline: time.optional(),
  /** The first customer message no agent answered yet (epoch ms). */
  waitingSince: time.optional(),
  /** Customer messages the user has not opened. */
  unread: z.number().int().min(0).max(100_000),
  lastMessage: z
    .object({ from: SenderRoleSchema, text: z.string().max(INTERACTION_LIMITS.preview), at: time })
    .optional(),
});
export type InteractionView = z.infer<typeof InteractionViewSchema>;
export type InteractionState = z.infer<typeof InteractionStateSchema>;

export const AttachmentViewSchema = z.object({
  name: z.string().max(INTERACTION_LIMITS.fileName),
  url: z.string().min(1).max(INTERACTION_LIMITS.url),
  /** The media type as the message said it (`image/png`), or a kind (`Image`). */
  type: z.string().max(INTERACTION_LIMITS.mediaType),
});
export type AttachmentView = z.infer<typeof AttachmentViewSchema>;

export const DeliveryStatusSchema = z.enum(['sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const TranscriptMessageViewSchema = z.object({
  id,
  from: SenderRoleSchema,
  /** Who wrote it, when known (the customer's nickname, the agent's name). */
  senderName: name.optional(),
  text: z.string().max(VIEW_LIMITS.text),
  at: time,
  /** The agent's messages only: how far the customer's platform has acknowledged it. */
  status: DeliveryStatusSchema.optional(),
  attachments: z.array(AttachmentViewSchema).max(INTERACTION_LIMITS.attachments),
});
export type TranscriptMessageView = z.infer<typeof TranscriptMessageViewSchema>;

export const TranscriptViewSchema = z.object({
  interaction: InteractionViewSchema,
  /** Oldest first. */
  messages: z.array(TranscriptMessageViewSchema).max(INTERACTION_LIMITS.transcript),
});
export type TranscriptView = z.infer<typeof TranscriptViewSchema>;

export const WrapupCodeViewSchema = z.object({ id, name });
export type WrapupCodeView = z.infer<typeof WrapupCodeViewSchema>;

const ConversationReq = z.strictObject({ conversationId });

/** The invoke channels of customer conversations (spread into contract.ts's `invokeChannels`). */
export const interactionInvokeChannels = {
  'interactions:list': {
    request: z.undefined(),
    response: z.array(InteractionViewSchema).max(INTERACTION_LIMITS.list),
  },
  /** The transcript, oldest first; opening it counts its customer messages as read. */
  'interaction:transcript': { request: ConversationReq, response: TranscriptViewSchema },
  'interaction:accept': { request: ConversationReq, response: z.null() },
  /** Declining puts the agent in Not Responding (the popup says so first). */
  'interaction:decline': { request: ConversationReq, response: z.null() },
  /** Queues the reply in the outbox (sent once connected, never twice); answers the queued item. */
  'interaction:reply': {
    request: z.strictObject({
      conversationId,
      text: z.string().trim().min(1).max(INTERACTION_LIMITS.reply),
    }),
    response: OutboxItemViewSchema,
  },
  /** The agent is typing (the popup throttles it). */
  'interaction:typing': { request: ConversationReq, response: z.null() },
  /** Queued in the outbox like a reply (ending one already ended is done). */
  'interaction:end': { request: ConversationReq, response: z.null() },
  'interaction:wrapup-codes': {
    request: ConversationReq,
    response: z.array(WrapupCodeViewSchema).max(INTERACTION_LIMITS.wrapupCodes),
  },
  'interaction:wrapup': {
    request: z.strictObject({
      conversationId,
      code: z.string().min(1).max(600).refine(notDotSegment, 'Not a valid id.'),
      notes: z.string().max(INTERACTION_LIMITS.notes).optional(),
    }),
    response: z.null(),
  },
} as const;

/** Events: a conversation changed (an offer, a message, a status): lists and open transcripts refresh. */
export const interactionEventChannels = {
  'interactions:changed': z.object({ conversationId: conversationId.optional() }),
  /** Open a customer conversation (an offer's or a customer message's notification was clicked). */
  'nav:open-interaction': z.object({ conversationId, compose: z.boolean().optional() }),
} as const;
