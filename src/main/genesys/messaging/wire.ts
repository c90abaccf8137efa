// Zod schemas of the Messaging Conversations API the app reads (seed 004), after the official models
// of the `purecloud-platform-client-v2` package's index.d.ts: `ConversationEventTopicConversation`
// (the snapshot event of `v2.users.{id}.conversations`), the generic `Conversation`, `MessageData`,
// `TextMessageListing`, `MessageConversationEntityListing`, `WrapupCode`, `AssignedWrapupCode`.
// Lenient where nobody could confirm the real answers: enum-like fields are plain strings (the
// tracker counts values it does not know), unknown fields are dropped, optional ones may be null,
// and listings are read item by item so one odd entity is a counted surprise, not a lost answer.
import { z } from 'zod';

const id = z.string().min(1).max(256);
const name = z.string().max(1024);
const word = z.string().max(128);
const date = z.string().max(64);
const text = z.string().max(100_000);

/** `ConversationEventTopicMessageDetails` / `MessageDetails`: one message id under a communication. */
export const MessageDetailsWire = z.object({
  messageId: id,
  messageTime: date.nullish(),
  messageStatus: word.nullish(),
});

/** `ConversationEventTopicAddress` / `Address`. */
const AddressWire = z.object({ name: name.nullish(), addressNormalized: name.nullish() });

/**
 * A messaging communication: `ConversationEventTopicMessage` in events, `Message` in the generic
 * conversation. Its `id` is the communicationId a reply, typing and wrap-up need.
 */
export const CommunicationWire = z.object({
  id,
  state: word.nullish(),
  direction: word.nullish(),
  /** Channel: sms, whatsapp, webmessaging, open, facebook, ... */
  type: word.nullish(),
  startAlertingTime: date.nullish(),
  connectedTime: date.nullish(),
  disconnectedTime: date.nullish(),
  disconnectType: word.nullish(),
  fromAddress: AddressWire.nullish(),
  toAddress: AddressWire.nullish(),
  messages: z.array(z.unknown()).max(10_000).nullish(),
});
export type CommunicationWire = z.infer<typeof CommunicationWire>;

/** `ConversationEventTopicWrapup` / `Wrapup`: the wrap-up given. */
const GivenWrapupWire = z.object({ code: z.string().max(256).nullish() });

/** `ConversationEventTopicParticipant` / `Participant`. */
export const ParticipantWire = z.object({
  id,
  userId: z.string().max(256).nullish(),
  name: name.nullish(),
  address: name.nullish(),
  /** customer, agent, acd, workflow, bot, external, ... */
  purpose: word.nullish(),
  startTime: date.nullish(),
  connectedTime: date.nullish(),
  endTime: date.nullish(),
  wrapupRequired: z.boolean().nullish(),
  wrapup: GivenWrapupWire.nullish(),
  alertingTimeoutMs: z.number().int().min(0).max(1e9).nullish(),
  messages: z.array(z.unknown()).max(100).nullish(),
});
export type ParticipantWire = z.infer<typeof ParticipantWire>;

/**
 * One conversation as the snapshot event and the generic `GET /api/v2/conversations/{id}` carry it:
 * ids and states, never text. Participants are parsed one by one (see snapshot.ts).
 */
export const ConversationWire = z.object({
  id,
  participants: z.array(z.unknown()).max(200),
});

/**
 * `MessageMediaParticipant` of `MessageConversation` (endpoint 12): its `messages[]` are
 * `MessageDetails` directly (no communication, so no communication id).
 */
export const MessageMediaParticipantWire = z.object({
  id,
  purpose: word.nullish(),
  name: name.nullish(),
  state: word.nullish(),
  type: word.nullish(),
  user: z.object({ id: z.string().max(256).nullish() }).nullish(),
  messages: z.array(z.unknown()).max(10_000).nullish(),
});

/** `MessageMediaParticipant` of `MessageConversationEntityListing` (`GET /api/v2/conversations/messages`): the ids are what recovery needs. */
export const ActiveListingWire = z.object({
  entities: z.array(z.unknown()).max(10_000).nullish(),
});
export const ActiveEntityWire = z.object({
  id,
  participants: z.array(z.unknown()).max(1_000).nullish(),
});

/** `ContentAttachment` inside `ConversationMessageContent`. */
const AttachmentWire = z.object({
  id: z.string().max(256).nullish(),
  mediaType: word.nullish(),
  url: z.string().max(8192).nullish(),
  mime: word.nullish(),
  filename: name.nullish(),
  text: text.nullish(),
});

/** `ConversationNormalizedMessage`: the text and content of a message. */
const NormalizedMessageWire = z.object({
  type: word.nullish(),
  direction: word.nullish(),
  text: text.nullish(),
  content: z
    .array(z.object({ contentType: word.nullish(), attachment: AttachmentWire.nullish() }))
    .max(100)
    .nullish(),
  originatingEntity: word.nullish(),
});

/** `MessageData`: one message with its text (`normalizedMessage.text`, or the deprecated `textBody`). */
export const MessageDataWire = z.object({
  id,
  timestamp: date.nullish(),
  direction: word.nullish(),
  status: word.nullish(),
  messengerType: word.nullish(),
  /** Removed from responses in 2026; read when `normalizedMessage.text` is absent. */
  textBody: text.nullish(),
  normalizedMessage: NormalizedMessageWire.nullish(),
  createdBy: z.object({ id: z.string().max(256).nullish() }).nullish(),
  conversationId: z.string().max(256).nullish(),
});
export type MessageDataWire = z.infer<typeof MessageDataWire>;

/** `TextMessageListing` (the bulk answer): entities parsed one by one. */
export const TextMessageListingWire = z.object({
  entities: z.array(z.unknown()).max(1_000).nullish(),
});

/** `WrapupCode`: a bare array answers `GET .../wrapupcodes`. */
export const WrapupCodeWire = z.object({
  id,
  name: name.nullish(),
  description: z.string().max(4096).nullish(),
});
export const WrapupCodesWire = z.array(z.unknown()).max(1_000);

/** `AssignedWrapupCode`: a wrap-up given. */
export const AssignedWrapupWire = z.object({
  code: z.string().max(256).nullish(),
  notes: z.string().max(10_000).nullish(),
});
