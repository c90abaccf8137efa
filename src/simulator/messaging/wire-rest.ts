// REST answers of the agent-side API: MessageConversation (participants list their MESSAGES),
// the generic Conversation (participants' `messages[]` are COMMUNICATIONS, with their ids),
// MessageData (a message's text), wrap-up codes and assigned wrap-ups, and paged listings.
import { iso } from '../clock.ts';
import { userUri } from '../serialize.ts';
import type {
  ConversationRecord,
  MessageEntry,
  ParticipantRecord,
  WrapupCodeRecord,
  WrapupRecord,
} from './model.ts';
import type { MessagingStore } from './store.ts';
import { addresses } from './wire-event.ts';

type Json = Record<string, unknown>;

export const BASE = '/api/v2/conversations/messages';
export const messageUri = (conversationId: string, messageId: string): string =>
  `${BASE}/${conversationId}/messages/${messageId}`;
const queueUri = (id: string): string => `/api/v2/routing/queues/${id}`;

function detailsJson(message: MessageEntry): Json {
  return {
    messageId: message.id,
    messageURI: messageUri(message.conversationId, message.id),
    messageStatus: message.status,
    messageSegmentCount: 1,
    messageTime: iso(message.timeMs),
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

function wrapupJson(w: WrapupRecord): Json {
  return {
    code: w.code,
    name: w.name,
    ...(w.notes !== undefined ? { notes: w.notes } : {}),
    tags: [],
    durationSeconds: w.durationSeconds,
    endTime: iso(w.endMs),
    provisional: false,
  };
}

/** Fields MessageMediaParticipant and Participant share. */
function participantCommon(p: ParticipantRecord): Json {
  return {
    id: p.id,
    name: p.name,
    ...(p.address ? { address: p.address } : {}),
    startTime: iso(p.startMs),
    ...(p.connectedMs !== undefined ? { connectedTime: iso(p.connectedMs) } : {}),
    ...(p.endMs !== undefined ? { endTime: iso(p.endMs) } : {}),
    purpose: p.purpose,
    wrapupRequired: p.wrapupRequired,
    ...(p.purpose === 'agent' ? { wrapupPrompt: 'mandatory' } : {}),
    attributes: {},
    ...(p.alertingTimeoutMs !== undefined ? { alertingTimeoutMs: p.alertingTimeoutMs } : {}),
    ...(p.wrapup ? { wrapup: wrapupJson(p.wrapup) } : {}),
    ...(p.startAcwMs !== undefined ? { startAcwTime: iso(p.startAcwMs) } : {}),
    ...(p.wrapup ? { endAcwTime: iso(p.wrapup.endMs) } : {}),
  };
}

function messagesOn(store: MessagingStore, p: ParticipantRecord): Json[] {
  return p.communication.messageIds.map((id) => detailsJson(store.messages.get(id) as MessageEntry));
}

/** `MessageMediaParticipant`: one participant with its messages (no communication id). */
function mediaParticipantJson(
  store: MessagingStore,
  conversation: ConversationRecord,
  p: ParticipantRecord,
): Json {
  const c = p.communication;
  return {
    ...participantCommon(p),
    ...(c.alertingMs !== undefined ? { startAlertingTime: iso(c.alertingMs) } : {}),
    state: c.state,
    direction: c.direction,
    ...(c.disconnectType ? { disconnectType: c.disconnectType } : {}),
    held: false,
    ...(p.userId ? { user: { id: p.userId, selfUri: userUri(p.userId) } } : {}),
    ...(p.queueId ? { queue: { id: p.queueId, selfUri: queueUri(p.queueId) } } : {}),
    ...addresses(conversation),
    messages: messagesOn(store, p),
    type: 'open',
  };
}

/** `MessageConversation` (GET /api/v2/conversations/messages/{conversationId}). */
export function messageConversationJson(store: MessagingStore, conversation: ConversationRecord): Json {
  return {
    id: conversation.id,
    participants: conversation.participants.map((p) => mediaParticipantJson(store, conversation, p)),
    selfUri: `${BASE}/${conversation.id}`,
  };
}

/** A generic `Participant`: its `messages[]` holds the one messaging communication (`Message`). */
function genericParticipantJson(
  store: MessagingStore,
  conversation: ConversationRecord,
  p: ParticipantRecord,
): Json {
  const c = p.communication;
  const queue = conversation.integration.queue;
  return {
    ...participantCommon(p),
    ...(p.userId ? { userUri: userUri(p.userId), userId: p.userId } : {}),
    ...(p.queueId ? { queueId: p.queueId, queueName: queue.name } : {}),
    ...(p.queueId
      ? {
          conversationRoutingData: {
            queue: { id: queue.id, selfUri: queueUri(queue.id) },
            priority: 0,
            skills: [],
          },
        }
      : {}),
    calls: [],
    callbacks: [],
    chats: [],
    cobrowsesessions: [],
    emails: [],
    messages: [
      {
        state: c.state,
        initialState: c.initialState,
        id: c.id,
        held: false,
        direction: c.direction,
        ...(c.disconnectType ? { disconnectType: c.disconnectType } : {}),
        ...(c.alertingMs !== undefined ? { startAlertingTime: iso(c.alertingMs) } : {}),
        ...(c.connectedMs !== undefined ? { connectedTime: iso(c.connectedMs) } : {}),
        ...(c.disconnectedMs !== undefined ? { disconnectedTime: iso(c.disconnectedMs) } : {}),
        type: 'open',
        ...addresses(conversation),
        messages: messagesOn(store, p),
        ...(p.wrapup ? { wrapup: wrapupJson(p.wrapup) } : {}),
      },
    ],
    screenshares: [],
    socialExpressions: [],
    videos: [],
  };
}

/** The generic `Conversation` (GET /api/v2/conversations/{conversationId}). */
export function conversationJson(store: MessagingStore, conversation: ConversationRecord): Json {
  return {
    id: conversation.id,
    startTime: iso(conversation.startMs),
    ...(conversation.endMs !== undefined ? { endTime: iso(conversation.endMs) } : {}),
    participants: conversation.participants.map((p) => genericParticipantJson(store, conversation, p)),
    selfUri: `/api/v2/conversations/${conversation.id}`,
  };
}

/** A Genesys paged listing (`...EntityListing`) of one page. */
export function pageJson(
  entities: unknown[],
  pageSize: number,
  pageNumber: number,
  total: number,
  uri: string,
): Json {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const at = (n: number): string => `${uri}?pageSize=${pageSize}&pageNumber=${n}`;
  return {
    entities,
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: at(1),
    lastUri: at(pageCount),
    selfUri: at(pageNumber),
    ...(pageNumber < pageCount ? { nextUri: at(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: at(pageNumber - 1) } : {}),
  };
}

export function wrapupCodeJson(code: WrapupCodeRecord): Json {
  return {
    id: code.id,
    name: code.name,
    description: code.description,
    dateCreated: iso(code.createdMs),
    selfUri: `/api/v2/routing/wrapupcodes/${code.id}`,
  };
}

/** `AssignedWrapupCode`. */
export function assignedWrapupJson(w: WrapupRecord): Json {
  return {
    code: w.code,
    ...(w.notes !== undefined ? { notes: w.notes } : {}),
    tags: [],
    durationSeconds: w.durationSeconds,
    endTime: iso(w.endMs),
  };
}
