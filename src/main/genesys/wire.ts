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

export const RoomParticipantsWire = z.object({
  participants: z
    .array(z.object({ jid: z.string().max(512).optional(), user: Ref.optional() }))
    .max(10_000)
    .default([]),
});
