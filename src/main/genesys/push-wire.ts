// Zod schemas of the Genesys Cloud notification (push) wire models the app reads: the channel and
// subscription answers of /api/v2/notifications and the frames of the channel's WebSocket. Only the
// fields the app uses are declared; unknown fields are dropped. Sizes are bounded.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const text = z.string().max(100_000);
const date = z.string().max(64);

export const ChannelWire = z.object({ id, connectUri: z.string().max(4096), expires: date.optional() });

/** The topics of a channel, as a subscriptions GET/POST/PUT answers them. */
export const TopicListingWire = z.object({
  entities: z
    .array(z.object({ id: z.string().max(512) }))
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
