// The notification bodies: `v2.users.{id}.conversations` (ConversationEventTopicConversation, a
// full snapshot of one conversation: ids and states, never text) and the customer-typing topic
// (V2ConversationMessageTypingEventForUserTopicMessageData).
import { iso } from '../clock.ts';
import type { ConversationRecord, MessageEntry, ParticipantRecord } from './model.ts';
import type { MessagingStore } from './store.ts';

export const conversationsTopic = (userId: string): string => `v2.users.${userId}.conversations`;
export const typingTopic = (userId: string): string =>
  `v2.users.${userId}.conversations.inbound.typing.event`;

type Json = Record<string, unknown>;

/** Both ends of a communication: the customer's address and the integration's. */
export function addresses(conversation: ConversationRecord): { fromAddress: Json; toAddress: Json } {
  const { customer, integration } = conversation;
  const customerName =
    customer.nickname ?? ([customer.firstName, customer.lastName].filter(Boolean).join(' ') || undefined);
  return {
    fromAddress: {
      ...(customerName ? { name: customerName } : {}),
      addressNormalized: customer.id,
      addressRaw: customer.id,
    },
    toAddress: { name: integration.name, addressNormalized: integration.id, addressRaw: integration.id },
  };
}

function detailsJson(message: MessageEntry): Json {
  return {
    messageId: message.id,
    messageTime: iso(message.timeMs),
    messageStatus: message.status,
    messageSegmentCount: 1,
    ...(message.attachments.length > 0
      ? {
          media: message.attachments.map((a) => ({
            url: a.url,
            mediaType: a.mime,
            ...(a.filename ? { name: a.filename } : {}),
            id: a.id,
          })),
        }
      : {}),
  };
}

function communicationJson(
  store: MessagingStore,
  conversation: ConversationRecord,
  p: ParticipantRecord,
): Json {
  const c = p.communication;
  return {
    id: c.id,
    state: c.state,
    initialState: c.initialState,
    direction: c.direction,
    held: false,
    ...(c.connectedMs !== undefined ? { connectedTime: iso(c.connectedMs) } : {}),
    ...(c.disconnectedMs !== undefined ? { disconnectedTime: iso(c.disconnectedMs) } : {}),
    ...(c.disconnectType ? { disconnectType: c.disconnectType } : {}),
    ...addresses(conversation),
    messages: c.messageIds.map((id) => detailsJson(store.messages.get(id) as MessageEntry)),
    type: 'open',
  };
}

/** Empty lists of the other media, as Genesys sends them on every participant. */
const NO_OTHER_MEDIA = (): Json => ({
  calls: [],
  callbacks: [],
  chats: [],
  cobrowsesessions: [],
  emails: [],
});

function participantJson(
  store: MessagingStore,
  conversation: ConversationRecord,
  p: ParticipantRecord,
): Json {
  const queue = conversation.integration.queue;
  return {
    id: p.id,
    ...(p.connectedMs !== undefined ? { connectedTime: iso(p.connectedMs) } : {}),
    ...(p.endMs !== undefined ? { endTime: iso(p.endMs) } : {}),
    ...(p.userId ? { userId: p.userId } : {}),
    name: p.name,
    ...(p.queueId ? { queueId: p.queueId } : {}),
    purpose: p.purpose,
    ...(p.address ? { address: p.address } : {}),
    wrapupRequired: p.wrapupRequired,
    ...(p.purpose === 'agent' ? { wrapupPrompt: 'mandatory' } : {}),
    ...(p.wrapup
      ? {
          wrapup: {
            code: p.wrapup.code,
            ...(p.wrapup.notes !== undefined ? { notes: p.wrapup.notes } : {}),
            tags: [],
            durationSeconds: p.wrapup.durationSeconds,
            endTime: iso(p.wrapup.endMs),
          },
        }
      : {}),
    ...(p.startAcwMs !== undefined ? { startAcwTime: iso(p.startAcwMs) } : {}),
    ...(p.wrapup ? { endAcwTime: iso(p.wrapup.endMs) } : {}),
    ...(p.queueId
      ? { conversationRoutingData: { queue: { id: queue.id, name: queue.name }, priority: 0, skills: [] } }
      : {}),
    ...(p.alertingTimeoutMs !== undefined ? { alertingTimeoutMs: p.alertingTimeoutMs } : {}),
    attributes: {},
    ...NO_OTHER_MEDIA(),
    messages: [communicationJson(store, conversation, p)],
    screenshares: [],
    socialExpressions: [],
    videos: [],
  };
}

/** `ConversationEventTopicConversation`: the whole conversation as it is now. */
export function conversationEventBody(store: MessagingStore, conversation: ConversationRecord): Json {
  return {
    id: conversation.id,
    participants: conversation.participants.map((p) => participantJson(store, conversation, p)),
  };
}

/** The customer is typing (`v2.users.{id}.conversations.inbound.typing.event`). */
export function typingEventBody(conversation: ConversationRecord, durationMs: number, atMs: number): Json {
  const { customer, integration } = conversation;
  return {
    conversationId: conversation.id,
    normalizedMessage: {
      channel: {
        id: integration.id,
        platform: 'Open',
        to: { id: integration.id },
        from: {
          id: customer.id,
          idType: customer.idType,
          ...(customer.nickname ? { nickname: customer.nickname } : {}),
        },
        time: iso(atMs),
      },
      type: 'Event',
      events: [{ eventType: 'Typing', typing: { type: 'On', duration: durationMs } }],
      direction: 'Inbound',
    },
  };
}
