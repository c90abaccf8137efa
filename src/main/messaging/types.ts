// The messaging source's own vocabulary: conversations as the snapshots describe them (ids and
// states), what the popup lists and shows, and the batches it hands to the engine. Nothing here knows
// about HTTP or zod; `src/main/genesys/messaging/` maps validated wire data into these types.
import type { ChatMessage, EventSource } from '../engine/model.ts';
import type { InteractionState } from '../../shared/ipc/interactions.ts';

/** One message id under a communication (no text: snapshots never carry it). */
export interface MessageRef {
  id: string;
  /** `messageTime`, epoch ms (0 when the server sent none or an unreadable one). */
  at: number;
  status?: string;
}

/** One messaging communication of a participant; its `id` is the communicationId. */
export interface Communication {
  id: string;
  /** alerting, connected, disconnected, parked, ... (as sent). */
  state: string;
  /** sms, whatsapp, webmessaging, open, facebook, ... */
  channel?: string;
  disconnectType?: string;
  /** Epoch ms the offer began alerting, when the server said. */
  alertingSince?: number;
  /** Epoch ms (server clock) the communication connected: `connectedTime`, when the server said. */
  connectedAt?: number;
  /** Epoch ms it disconnected: `disconnectedTime`, when the server said. */
  disconnectedAt?: number;
  messages: MessageRef[];
}

export interface Participant {
  id: string;
  userId?: string;
  name?: string;
  address?: string;
  /** customer, agent, acd, workflow, bot, external, ... */
  purpose: string;
  wrapupRequired: boolean;
  /** A wrap-up has been given (the server may leave `wrapupRequired` true afterwards). */
  wrapupGiven: boolean;
  alertingTimeoutMs?: number;
  communications: Communication[];
}

/** One conversation as a `v2.users.{id}.conversations` event or the generic conversation shows it. */
export interface Snapshot {
  conversationId: string;
  participants: Participant[];
}

/** One row of the popup's Interactions list. */
export interface Interaction {
  conversationId: string;
  state: InteractionState;
  channel: string;
  customerName: string;
  /** Epoch ms of the first customer message nobody answered yet; absent when none waits. */
  waitingSince?: number;
  /** Customer messages since the user's last reply. */
  unanswered: number;
  /** While offered: epoch ms the offer stops alerting (from `alertingTimeoutMs`), when known. */
  offerExpiresAt?: number;
  /** The user's last agent participant (re-routed agents get new ones). */
  participantId?: string;
  communicationId?: string;
  /** Epoch ms of the newest message of any participant (for sorting). */
  lastActivity: number;
}

export type Author = 'customer' | 'agent' | 'bot';

export interface Attachment {
  /** What to show as the link's label: the file name, else the media type. */
  label: string;
  url?: string;
  mime?: string;
  mediaType?: string;
}

/** One message of a transcript, text included (read over REST). */
export interface TranscriptEntry {
  id: string;
  author: Author;
  text: string;
  attachments: Attachment[];
  /** `MessageData.timestamp`, epoch ms. */
  at: number;
  /** sent, delivery-success, read, delivery-failed, received, ... */
  status?: string;
}

export interface WrapupCode {
  id: string;
  name: string;
  description?: string;
}

/**
 * What a created event is for the rules:
 * - `offer`: the user's own agent participant is alerting. Notifies even under do-not-disturb and
 *   quiet hours (an agent on queue must see it); withdrawn (a `deleted` event) when the offer ends.
 * - `customer`: a new customer message in an interaction the user is connected to. Follows the
 *   user's rules (mutes, do-not-disturb, quiet hours, the privacy preference).
 * - `context`: a customer message the user is not answering (shown inside an offer, or the user's
 *   participant is not connected): processed by the ledger, never notified.
 */
export type CustomerEventKind = 'offer' | 'customer' | 'context';

/** The `ChatRef` of a customer conversation: `id` is the conversationId, `name` the customer's. */
export interface CustomerChatRef {
  id: string;
  kind: 'customer';
  jid: '';
  name: string;
  channel: string;
}

export interface OfferInfo {
  participantId: string;
  communicationId: string;
  alertingTimeoutMs?: number;
  /** Epoch ms (local clock) the offer stops alerting, when `alertingTimeoutMs` is known. */
  expiresAt?: number;
}

/**
 * A `ChatMessage` of a customer conversation. For an offer, `id` is `offer:<participantId>` (one per
 * offer: a new offer is a new participant), `body` the customer's first message, `createdAt` the
 * newest server time the snapshot shows; for a customer message, `id` is the messageId.
 */
export interface CustomerMessage extends Omit<ChatMessage, 'chatKind'> {
  chatKind: 'customer';
  customerKind: CustomerEventKind;
  channel: string;
  attachments: Attachment[];
  /** The text could not be read (the notification still goes, without it). */
  textMissing?: boolean;
  offer?: OfferInfo;
}

/** Why an offer's notification is withdrawn. */
export type OfferEnd = 'accepted' | 'declined' | 'timed-out' | 'customer-left' | 'ended-elsewhere';

export type MessagingEvent =
  | { type: 'created'; source: EventSource; message: CustomerMessage }
  | { type: 'deleted'; source: EventSource; chatId: string; messageId: string; reason: OfferEnd };

/** One conversation's events, in the engine's `WatchBatch` shape (with `chat.kind = 'customer'`). */
export interface MessagingBatch {
  source: EventSource;
  chat: CustomerChatRef;
  events: MessagingEvent[];
}

/** `unavailable`: no messaging for this user (topic Rejected, 403, no permission): quiet, nothing else lost. */
export type MessagingAvailability =
  { state: 'available' } | { state: 'unavailable'; reason: string } | { state: 'stopped' };

export const offerMessageId = (participantId: string): string => `offer:${participantId}`;
