// The outbox's persisted shapes: the user's actions and the items that carry them, validated with zod.
import { z } from 'zod';
import {
  ChatRefSchema as AnyChatRefSchema,
  type ChatRef,
  type CustomerRefSchema,
} from '../../../shared/domain/chat-ref.ts';

/**
 * The conversation an action is for, with an id: a Collaborate chat (room or 1on1) or a customer
 * conversation. Which actions a kind can take is its capability record's to say (capability.ts).
 */
const ChatRefSchema = AnyChatRefSchema.refine((chat) => chat.id.length > 0, 'a chat needs an id');

const text = z.string().refine((s) => s.trim().length > 0, 'must not be empty');
const userIds = z.array(z.string().min(1));

export const ReplyActionSchema = z.object({
  kind: z.literal('reply'),
  chat: ChatRefSchema,
  text,
  threadId: z.string().min(1).optional(),
  mentions: userIds.optional(),
});

export const ReactActionSchema = z.object({
  kind: z.literal('react'),
  chat: ChatRefSchema,
  messageId: z.string().min(1),
  emoji: z.string().min(1),
  /** true: add this emoji to the user's reactions; false: take it away. */
  on: z.boolean(),
});

export const PinActionSchema = z.object({
  kind: z.enum(['pin', 'unpin']),
  chat: ChatRefSchema,
  messageId: z.string().min(1),
});

export const EditActionSchema = z.object({
  kind: z.literal('edit'),
  chat: ChatRefSchema,
  messageId: z.string().min(1),
  text,
  mentions: userIds.optional(),
});

export const DeleteActionSchema = z.object({
  kind: z.literal('delete'),
  chat: ChatRefSchema,
  messageId: z.string().min(1),
});

/** Ends the user's part in a customer interaction (their last agent participant → disconnected). */
export const EndActionSchema = z.object({
  kind: z.literal('end'),
  chat: ChatRefSchema,
});

/** Wraps up the user's part in a customer interaction with a code (and notes). */
export const WrapupActionSchema = z.object({
  kind: z.literal('wrapup'),
  chat: ChatRefSchema,
  /** A wrap-up code id, from the participant's wrap-up codes. */
  code: z.string().min(1).max(256),
  notes: z.string().max(4_000).optional(),
});

export const OutboxActionSchema = z.discriminatedUnion('kind', [
  ReplyActionSchema,
  ReactActionSchema,
  PinActionSchema,
  EditActionSchema,
  DeleteActionSchema,
  EndActionSchema,
  WrapupActionSchema,
]);
export type OutboxAction = z.infer<typeof OutboxActionSchema>;
export type ReplyAction = z.infer<typeof ReplyActionSchema>;
export type ReactAction = z.infer<typeof ReactActionSchema>;
export type PinAction = z.infer<typeof PinActionSchema>;
export type EditAction = z.infer<typeof EditActionSchema>;
export type DeleteAction = z.infer<typeof DeleteActionSchema>;
export type EndAction = z.infer<typeof EndActionSchema>;
export type WrapupAction = z.infer<typeof WrapupActionSchema>;

type CustomerChat = z.infer<typeof CustomerRefSchema>;
/** An action the messaging source carries out: on a customer conversation, a reply, an end or a wrap-up. */
export type CustomerAction = (ReplyAction | EndAction | WrapupAction) & { chat: CustomerChat };

/** The action as a customer action when it is one for a customer conversation. */
export function asCustomerAction(action: OutboxAction): CustomerAction | undefined {
  if (!isCustomer(action.chat)) return undefined;
  const { chat } = action;
  switch (action.kind) {
    case 'reply':
    case 'end':
    case 'wrapup':
      return { ...action, chat };
    default:
      return undefined;
  }
}

function isCustomer(chat: ChatRef): chat is CustomerChat {
  return chat.kind === 'customer';
}

export const ItemStateSchema = z.enum(['queued', 'sending', 'sent', 'failed']);

const time = z.number().int().nonnegative();

export const OutboxErrorSchema = z.object({
  /** Written for the user: what went wrong and, where it helps, what to do. */
  message: z.string(),
  code: z.string().optional(),
  status: z.number().int().optional(),
});
export type OutboxError = z.infer<typeof OutboxErrorSchema>;

export const OutboxItemSchema = z.object({
  id: z.uuid(),
  action: OutboxActionSchema,
  createdAt: time,
  state: ItemStateSchema,
  /** Attempts made so far (a sign-in interruption is not an attempt). */
  attempts: z.number().int().nonnegative(),
  lastError: OutboxErrorSchema.optional(),
  /** Not before this time (backoff, kept across restarts). */
  nextAttemptAt: time.optional(),
  result: z
    .object({
      /** Replies: the posted message. */
      messageId: z.string().optional(),
      /** Replies: found already posted by an earlier attempt, so not posted again. */
      recovered: z.boolean().optional(),
    })
    .optional(),
  /** When the latest attempt began. */
  startedAt: time.optional(),
  /**
   * Replies only: an attempt made at or after this time may have posted the message (no answer, a 5xx,
   * or the app died mid-send). Before posting again the chat is searched for it. Cleared once sent.
   */
  unsureSince: time.optional(),
  /** When the item became sent or failed. */
  settledAt: time.optional(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;
