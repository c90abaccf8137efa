// The shapes the renderer sees: the engine's state and the conversation views, as zod schemas.
// Deliberately no field can carry a token. Sizes are bounded: the renderer is untrusted too.
import { z } from 'zod';
import { ProxySettingSchema } from '../proxy.ts';
import { CHAT_ID_MAX } from '../domain/chat-ref.ts';
import { ClockTimeSchema } from '../domain/clock-time.ts';
import { ChatKindSchema, NotifyKindSchema } from '../domain/kinds.ts';
import { PREF_LIMITS, VIEW_LIMITS } from './limits.ts';

const id = z.string().min(1).max(600);
const chatId = z.string().min(1).max(CHAT_ID_MAX);
const name = z.string().max(VIEW_LIMITS.name);
const text = z.string().max(VIEW_LIMITS.text);
const time = z.number().finite();

export const ConnectionSchema = z.enum([
  'signed-out',
  'signing-in',
  'connecting',
  'push',
  'polling',
  'offline',
  'needs-sign-in',
]);

export const InboxItemViewSchema = z.object({
  id,
  messageId: id,
  chatId,
  chatName: name,
  chatKind: ChatKindSchema,
  kind: NotifyKindSchema,
  senderId: id,
  senderName: name,
  text,
  at: time,
  read: z.boolean(),
  threadId: id.optional(),
});

export const InboxChatViewSchema = z.object({
  chatId,
  chatName: name,
  chatKind: ChatKindSchema,
  unread: z.number().int().min(0),
  latestAt: time,
  items: z.array(InboxItemViewSchema).max(1000),
});
export type InboxChatView = z.infer<typeof InboxChatViewSchema>;

export const OutboxItemViewSchema = z.object({
  id,
  kind: z.string().max(32),
  chatId,
  state: z.enum(['queued', 'sending', 'sent', 'failed']),
  text: text.optional(),
  error: z.string().max(2000).optional(),
  messageId: id.optional(),
  createdAt: time,
});
export type OutboxItemView = z.infer<typeof OutboxItemViewSchema>;

export const ServerSettingsSchema = z.object({
  muted: z.boolean(),
  mentionsOnly: z.boolean(),
  notifyOnReactions: z.boolean(),
});
export type ServerSettingsView = z.infer<typeof ServerSettingsSchema>;

/** What the state view says about customer conversations (the tray counts `waiting`). */
export const InteractionsSummarySchema = z.object({
  /** Messaging works for this user (permission, scope, topic): the popup shows Interactions. */
  available: z.boolean(),
  /** Customers waiting for an answer: offers plus connected interactions with a customer waiting. */
  waiting: z.number().int().min(0),
  /** Offers alerting now. */
  offered: z.number().int().min(0),
});
export type InteractionsSummary = z.infer<typeof InteractionsSummarySchema>;

export const EngineStateViewSchema = z.object({
  connection: ConnectionSchema,
  demo: z.boolean(),
  environment: z.string().max(400),
  account: z.object({ userId: id, name }).nullable(),
  inbox: z.array(InboxChatViewSchema).max(1000),
  unread: z.number().int().min(0),
  unreadForMe: z.boolean(),
  held: z.number().int().min(0),
  lastSyncAt: time.nullable(),
  outbox: z.array(OutboxItemViewSchema).max(1000),
  settings: z.object({
    value: ServerSettingsSchema.nullable(),
    sync: z.enum(['idle', 'loading', 'saving', 'error']),
    error: z.string().max(2000).optional(),
  }),
  notice: z.string().max(2000).optional(),
  /** A proxy asks for a user name and password (never carries them). */
  proxySignIn: z
    .object({ proxy: z.string().max(300), realm: z.string().max(300).optional(), rejected: z.boolean() })
    .optional(),
  /** Customer conversations (issue 13), when the engine has a messaging source. */
  interactions: InteractionsSummarySchema.optional(),
});
export type EngineStateView = z.infer<typeof EngineStateViewSchema>;

export const ChatSummaryViewSchema = z.object({
  id: chatId,
  kind: ChatKindSchema,
  name,
  lastMessageAt: time.optional(),
  muted: z.boolean(),
  /** The newest message the app has seen in the chat (its markup, cut short), if any. */
  preview: z.object({ senderName: name, text: z.string().max(500), own: z.boolean() }).optional(),
});
export type ChatSummaryView = z.infer<typeof ChatSummaryViewSchema>;

export const ReactionViewSchema = z.object({
  emoji: z.string().min(1).max(VIEW_LIMITS.emoji),
  count: z.number().int().min(0),
  mine: z.boolean(),
});

export const MessageViewSchema = z.object({
  id,
  chatId,
  senderId: id,
  senderName: name,
  body: text,
  createdAt: time,
  editedAt: time.optional(),
  threadId: id.optional(),
  mentions: z.array(id).max(VIEW_LIMITS.mentions),
  reactions: z.array(ReactionViewSchema).max(VIEW_LIMITS.reactions),
  own: z.boolean(),
  pinned: z.boolean(),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

export const ParticipantViewSchema = z.object({ id, name });
export type ParticipantView = z.infer<typeof ParticipantViewSchema>;

export const PrefsViewSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  sound: z.boolean(),
  showMessageText: z.boolean(),
  launchAtLogin: z.boolean(),
  shortcut: z.string().max(PREF_LIMITS.shortcut),
  quietHours: z
    .object({
      start: ClockTimeSchema,
      end: ClockTimeSchema,
      days: z.array(z.number().int().min(0).max(6)).max(7).optional(),
    })
    .nullable(),
  keywords: z.array(z.string().min(1).max(PREF_LIMITS.keyword)).max(PREF_LIMITS.keywords),
  chatMutes: z
    .record(chatId, z.object({ until: time.optional() }))
    .refine(
      (m) => Object.keys(m).length <= PREF_LIMITS.chatMutes,
      `at most ${PREF_LIMITS.chatMutes} muted chats`,
    ),
  dnd: z.boolean(),
  environment: z.string().max(300),
  clientId: z.string().max(200),
  loopbackPort: z.number().int().min(1024).max(65535),
  /** A proxy for every connection to Genesys Cloud (`host:port`), or '' to follow the system. */
  proxy: ProxySettingSchema,
});
export type PrefsView = z.infer<typeof PrefsViewSchema>;

export const RegionViewSchema = z.object({ env: z.string().max(100), label: z.string().max(200) });
export type RegionView = z.infer<typeof RegionViewSchema>;
