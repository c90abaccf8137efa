// Zod schemas of the Genesys Cloud notification (push) wire models the app reads: the channel and
// subscription answers of /api/v2/notifications and the frames of the channel's WebSocket. The
// official models (SDK index.d.ts, Go SDK platformclientv2/*eventtopic*.go, test/fixtures/genesys/
// push/) are the reference. Only the fields the app uses are declared; unknown fields are dropped;
// every optional field may also be null (normalised to undefined). Sizes are bounded.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const text = z.string().max(100_000);
const date = z.string().max(64);

/** Optional, and null treated as absent: the SDKs say nothing about nulls, so accept them. */
function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);
}

/** A list whose null items are dropped rather than failing the whole value. */
function listOf<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item.nullable())
    .max(max)
    .transform((items) => items.filter((x): x is NonNullable<typeof x> => x !== null));
}

/** `POST /api/v2/notifications/channels`: model `Channel`. */
export const ChannelWire = z.object({
  id,
  connectUri: z.string().min(1).max(4096),
  expires: opt(date),
});

/** The two documented topic states (`ChannelTopic.state`); anything else is unconfirmed. */
export type TopicStateName = 'Permitted' | 'Rejected' | 'Unconfirmed';

export interface TopicState {
  id: string;
  state: TopicStateName;
  rejectionReason?: string;
  missingPermissions?: string[];
}

/** One `ChannelTopic` of a subscriptions answer. */
const ChannelTopicWire = z.object({
  id: z.string().min(1).max(512),
  state: opt(z.string().max(64)),
  rejectionReason: opt(z.string().max(2_000)),
  missingPermissions: opt(listOf(z.string().max(256), 100)),
});

/** `GET|POST|PUT .../subscriptions`: model `ChannelTopicEntityListing`. */
export const TopicListingWire = z.object({
  entities: listOf(z.unknown(), 10_000),
});

export interface TopicListing {
  topics: TopicState[];
  /** Parts of the answer that did not match the model (counted by the caller, never fatal). */
  surprises: { what: string; value: unknown }[];
}

/**
 * Reads a subscriptions answer item by item: a topic without `state` (or with a state the docs do
 * not name) is Unconfirmed, which the client treats like Rejected (badge and backfill) but counts.
 * Never throws; an answer without `entities` confirms nothing.
 */
export function readTopicListing(value: unknown): TopicListing {
  const listing = TopicListingWire.safeParse(value);
  if (!listing.success) return { topics: [], surprises: [{ what: 'not a topic listing', value }] };
  const topics: TopicState[] = [];
  const surprises: TopicListing['surprises'] = [];
  for (const raw of listing.data.entities) {
    const topic = ChannelTopicWire.safeParse(raw);
    if (!topic.success) {
      surprises.push({ what: 'unreadable topic', value: raw });
      continue;
    }
    const { state, rejectionReason, missingPermissions } = topic.data;
    const known = state?.toLowerCase() === 'permitted' || state?.toLowerCase() === 'rejected';
    if (!known)
      surprises.push({
        what: state === undefined ? 'topic without state' : 'unknown topic state',
        value: raw,
      });
    topics.push({
      id: topic.data.id,
      state: !known ? 'Unconfirmed' : state!.toLowerCase() === 'permitted' ? 'Permitted' : 'Rejected',
      ...(rejectionReason ? { rejectionReason } : {}),
      ...(missingPermissions?.length ? { missingPermissions } : {}),
    });
  }
  return { topics, surprises };
}

/** One frame of the notifications WebSocket: `{ topicName, version, eventBody, metadata }` or `{ result }`. */
export const NotificationFrameWire = z.object({
  topicName: opt(z.string().max(512)),
  eventBody: z.unknown().optional(),
  result: opt(z.union([z.string().max(16), z.number()])),
});

/** `from`, `to` and each `mentions[]` item: `CollaborateChat{Group,Adhoc}MessageEventTopicCollaborateChatEntity`. */
export const ChatEntityWire = z.object({
  entityJid: opt(z.string().max(512)),
  entityId: opt(z.string().max(256)),
  /** `User`, `Group` or `Adhoc` (.NET SDK EntityTypeEnum); other values are kept, not trusted. */
  entityType: opt(z.string().max(64)),
});
export type ChatEntityWire = z.infer<typeof ChatEntityWire>;

const ACTIONS = ['Create', 'Edit', 'Delete'] as const;

/** `v2.detail.events.collaboratechat.{group|adhoc}.{id}.messages`: `...MessageEventTopicCollaborateChatMessage`. */
export const ChatEventBodyWire = z.object({
  messageId: id,
  created: opt(date),
  actionType: z
    .string()
    .max(32)
    .transform((a) => ACTIONS.find((x) => x.toLowerCase() === a.toLowerCase()) ?? a)
    .pipe(z.enum(ACTIONS)),
  body: opt(text),
  from: opt(ChatEntityWire),
  to: opt(ChatEntityWire),
  mentions: opt(listOf(ChatEntityWire, 1000)),
  notifyAll: opt(z.boolean()),
  /** emoji → the ids of the users who reacted with it. */
  reactions: opt(
    z.record(z.string().max(64), listOf(z.string().max(256), 10_000).nullable()).transform((r) => {
      const out: Record<string, string[]> = {};
      for (const [emoji, users] of Object.entries(r)) if (users) out[emoji] = users;
      return out;
    }),
  ),
});
export type ChatEventBodyWire = z.infer<typeof ChatEventBodyWire>;

/** The user id an entity names, when it names a user (`entityType` User or absent). */
export function userIdOf(entity: ChatEntityWire | undefined): string | undefined {
  if (!entity?.entityId) return undefined;
  const type = entity.entityType?.toLowerCase();
  return type === undefined || type === 'user' ? entity.entityId : undefined;
}

/** `v2.users.{id}.badges.chats`: `ChatBadgeTopicChatBadge`. */
export const BadgeBodyWire = z.object({
  entity: z.object({ jabberId: z.string().min(1).max(512) }),
  unreadCount: opt(z.number().int().min(0)),
  lastUnreadNotificationDate: opt(date),
});
