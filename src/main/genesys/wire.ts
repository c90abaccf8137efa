// Zod schemas of the Genesys Cloud REST models the app reads, after the official models (the
// `purecloud-platform-client-v2` package's index.d.ts; enum values from the .NET SDK). Only the
// fields the app uses are declared; unknown fields are dropped, and every optional field may also
// be null. Sizes are bounded so a hostile answer cannot balloon memory. Listings are read as
// arrays of `unknown` and their items parsed one by one (chat-api.ts), so one odd item is counted
// as a surprise instead of failing the whole answer.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const jid = z.string().max(512);
const name = z.string().max(1024);
const text = z.string().max(100_000);
const date = z.string().max(64);

/** `ChatItem.chatType` and `Room.roomType` (.NET SDK ChatTypeEnum / RoomTypeEnum). */
export const CHAT_TYPES = ['adhoc', 'acd', 'group', 'oneOnOne', 'supervisorAssistance'] as const;
export const ChatType = z.enum(CHAT_TYPES);
export type ChatType = z.infer<typeof ChatType>;

/** `AddressableEntityRef`, `Entity`, `UserReference`. */
const Ref = z.object({ id: id.nullish() });

export const UserMeWire = z.object({
  id,
  name: name.nullish(),
  email: name.nullish(),
  chat: z.object({ jabberId: jid.nullish() }).nullish(),
});

export const UserWire = z.object({ id, name: name.nullish() });

/** `ChatUserRef`: the other user of a 1on1. */
const ChatUserRefWire = z.object({ id, name: name.nullish(), jid: jid.nullish() });

/** `Room` (also `GET /api/v2/chats/rooms/{roomJid}`). `id` is the group's id, or the jid of an adhoc room. */
export const RoomWire = z.object({
  id: id.nullish(),
  jid: jid.nullish(),
  name: name.nullish(),
  subject: name.nullish(),
  roomType: z.string().max(64).nullish(),
  pinnedMessages: z.array(Ref).max(100).nullish(),
});

/** `ChatItem`: one entry of the roster. `id` is the item's own identifier, never a jid. */
export const ChatItemWire = z.object({
  id: id.nullish(),
  name: name.nullish(),
  open: z.boolean().nullish(),
  dateLastMessage: date.nullish(),
  dateClosed: date.nullish(),
  chatType: z.string().max(64).nullish(),
  user: ChatUserRefWire.nullish(),
  room: RoomWire.nullish(),
});
export type ChatItemWire = z.infer<typeof ChatItemWire>;

/** Fields a listing may carry besides its entities (none of them data). */
const listingMeta = {
  selfUri: z.string().max(4096).nullish(),
  nextUri: z.string().max(4096).nullish(),
  previousUri: z.string().max(4096).nullish(),
  firstUri: z.string().max(4096).nullish(),
  lastUri: z.string().max(4096).nullish(),
  pageSize: z.number().nullish(),
  pageNumber: z.number().nullish(),
  total: z.number().nullish(),
  pageCount: z.number().nullish(),
};

/**
 * A listing (`ChatItemCursorListing`, `ChatMessageEntityListing`): its entities, unparsed. A listing
 * without `entities` is empty only when it carries nothing else but paging fields; any other
 * object is a shape surprise (never read as "nothing there").
 */
function listing<T extends z.ZodType>(item: T) {
  return z.union([
    z.object({ entities: z.array(item).max(10_000), ...listingMeta }),
    z
      .strictObject({ entities: z.null().optional(), ...listingMeta })
      .transform((l) => ({ ...l, entities: [] })),
  ]);
}

export const RosterPageWire = listing(z.unknown());

const ReactionWire = z.object({
  emoji: z.string().min(1).max(64),
  users: z.array(Ref.nullable()).max(10_000).nullish(),
});

/**
 * `ChatMessageResponse`. `user` is absent for integrations: the sender is then `jid`. Compiled
 * (`z.compile`: the same results and errors, several times faster and with less garbage): a
 * catch-up reads thousands of these.
 */
export const ChatMessageWire = z.compile(
  z.object({
    id,
    dateCreated: date,
    dateModified: date.nullish(),
    toJid: jid.nullish(),
    jid: jid.nullish(),
    body: text.nullish(),
    mentions: z.record(z.string().max(512), z.string().max(512).nullable()).nullish(),
    edited: z.boolean().nullish(),
    thread: Ref.nullish(),
    parentThread: Ref.nullish(),
    user: Ref.nullish(),
    toUser: Ref.nullish(),
    reactions: z.array(ReactionWire).max(500).nullish(),
  }),
);
export type ChatMessageWire = z.infer<typeof ChatMessageWire>;

/**
 * Any message-history answer, as its entities (unparsed). The SDKs declare the 1on1 history as ONE
 * `ChatMessageResponse` (probably a documentation error), so a listing, a bare array and a single
 * message are all read; anything else fails validation. Compiled, like `ChatMessageWire`: a
 * catch-up reads one per changed chat.
 */
export const MessagesAnswerWire = z.compile(
  z.union([
    z.array(z.unknown()).max(10_000),
    listing(z.unknown()).transform((l) => l.entities),
    z.looseObject({ id, dateCreated: date }).transform((m) => [m as unknown]),
  ]),
);

export const SendResultWire = z.object({ id });

/** `UserSettingsForChat`. */
export const ChatSettingsWire = z.object({
  muted: z.boolean().nullish(),
  mentionsOnly: z.boolean().nullish(),
  notifyOnReactions: z.boolean().nullish(),
  mobile: z.object({ notifications: z.object({ when: z.string().max(64).nullish() }).nullish() }).nullish(),
});

/** `Room` or `OneOnOne`: both carry `pinnedMessages`. */
export const PinnedWire = z.object({ pinnedMessages: z.array(Ref).max(100).nullish() });

/** `RoomParticipantsResponse`. */
export const RoomParticipantsWire = z.object({
  participants: z
    .array(z.object({ jid: jid.nullish(), user: Ref.nullish() }))
    .max(10_000)
    .nullish(),
});
