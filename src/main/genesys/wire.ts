// Zod schemas of the Genesys Cloud wire models the app reads. Only the fields the app uses are
// declared; unknown fields are dropped. Sizes are bounded so a hostile answer cannot balloon memory.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const text = z.string().max(100_000);
const date = z.string().max(64);

export const UserMeWire = z.object({
  id,
  name: z.string().max(512).optional(),
  email: z.string().max(512).optional(),
  chat: z.object({ jabberId: z.string().max(512).optional() }).optional(),
});

export const UserWire = z.object({ id, name: z.string().max(512).optional() });

export const ChatItemWire = z.object({
  id: id.optional(),
  name: z.string().max(1024).optional(),
  open: z.boolean().optional(),
  dateLastMessage: date.optional(),
  chatType: z.string().max(64).optional(),
  user: z
    .object({ id, name: z.string().max(512).optional(), jid: z.string().max(512).optional() })
    .optional(),
  room: z
    .object({
      id: id.optional(),
      jid: z.string().max(512).optional(),
      name: z.string().max(1024).optional(),
      subject: z.string().max(1024).optional(),
      roomType: z.string().max(64).optional(),
    })
    .optional(),
});
export type ChatItemWire = z.infer<typeof ChatItemWire>;

export const RosterPageWire = z.object({
  entities: z.array(ChatItemWire).max(10_000).default([]),
  nextUri: z.string().max(4096).nullish(),
});

const Ref = z.object({ id: id.optional() });

export const ChatMessageWire = z.object({
  id,
  dateCreated: date,
  dateModified: date.optional(),
  toJid: z.string().max(512).optional(),
  jid: z.string().max(512).optional(),
  body: text.default(''),
  mentions: z.record(z.string(), z.string().max(512)).optional(),
  edited: z.boolean().optional(),
  thread: Ref.optional(),
  parentThread: Ref.optional(),
  user: Ref.optional(),
  toUser: Ref.optional(),
  reactions: z
    .array(z.object({ emoji: z.string().max(64), users: z.array(Ref).max(10_000) }))
    .max(500)
    .optional(),
});
export type ChatMessageWire = z.infer<typeof ChatMessageWire>;

export const MessageListingWire = z.object({ entities: z.array(ChatMessageWire).max(10_000).default([]) });

export const SendResultWire = z.object({ id });

export const ChatSettingsWire = z.object({
  muted: z.boolean().optional(),
  mentionsOnly: z.boolean().optional(),
  notifyOnReactions: z.boolean().optional(),
  mobile: z.object({ notifications: z.object({ when: z.string().max(64) }).optional() }).optional(),
});

export const PinnedWire = z.object({ pinnedMessages: z.array(Ref).max(100).optional() });

export const ChannelWire = z.object({ id, connectUri: z.string().max(4096), expires: date.optional() });

/** The topics of a channel, as a subscriptions GET/POST/PUT answers them. */
export const TopicListingWire = z.object({
  entities: z
    .array(z.object({ id: z.string().max(512) }))
    .max(10_000)
    .default([]),
});

export const RoomParticipantsWire = z.object({
  participants: z
    .array(z.object({ jid: z.string().max(512).optional(), user: Ref.optional() }))
    .max(10_000)
    .default([]),
});

/** One frame of the notifications WebSocket. */
export const NotificationFrameWire = z.object({
  topicName: z.string().max(512).optional(),
  eventBody: z.unknown().optional(),
  result: z.string().max(16).optional(),
});

export const ChatEventBodyWire = z.object({
  messageId: id,
  created: date.optional(),
  actionType: z.enum(['Create', 'Edit', 'Delete']),
  body: text.optional(),
  from: z.string().max(512).optional(),
  to: z.string().max(512).optional(),
  mentions: z
    .array(z.object({ entityJid: z.string().max(512).optional(), entityId: z.string().max(256).optional() }))
    .max(1000)
    .optional(),
  notifyAll: z.boolean().optional(),
  reactions: z.record(z.string().max(64), z.array(z.string().max(256)).max(10_000)).optional(),
});
export type ChatEventBodyWire = z.infer<typeof ChatEventBodyWire>;

export const BadgeBodyWire = z.object({
  entity: z.object({ jabberId: z.string().max(512) }),
  unreadCount: z.number().int().min(0).optional(),
  lastUnreadNotificationDate: date.optional(),
});
