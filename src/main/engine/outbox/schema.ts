// The outbox's persisted shapes: the user's actions and the items that carry them, validated with zod.
import { z } from 'zod';
import { ChatRefSchema as AnyChatRefSchema, isCollaborateChat } from '../../../shared/domain/chat-ref.ts';

/**
 * The chat an action is for: a Collaborate chat with an id. A customer conversation is answered
 * through the messaging source's actions, never through the outbox (it has no chat path).
 */
const ChatRefSchema = AnyChatRefSchema.refine((chat) => chat.id.length > 0, 'a chat needs an id').refine(
  // Typed boolean, not as a guard: callers hold plain ChatRefs; the parse is what refuses.
  (chat): boolean => isCollaborateChat(chat),
  'a customer conversation is not a chat',
);

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

export const OutboxActionSchema = z.discriminatedUnion('kind', [
  ReplyActionSchema,
  ReactActionSchema,
  PinActionSchema,
  EditActionSchema,
  DeleteActionSchema,
]);
export type OutboxAction = z.infer<typeof OutboxActionSchema>;
export type ReplyAction = z.infer<typeof ReplyActionSchema>;
export type ReactAction = z.infer<typeof ReactActionSchema>;
export type PinAction = z.infer<typeof PinActionSchema>;
export type EditAction = z.infer<typeof EditActionSchema>;
export type DeleteAction = z.infer<typeof DeleteActionSchema>;

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
