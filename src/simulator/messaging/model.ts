// Internal records of simulated customer conversations (Messaging Conversations API, seed 004).
import type {
  AttachmentMediaType,
  CommunicationState,
  DisconnectType,
  IdType,
  MessageStatus,
  Purpose,
  ReceiptStatus,
} from './vocabulary.ts';

export interface WrapupCodeRecord {
  id: string;
  name: string;
  description: string;
  createdMs: number;
}

export interface QueueRecord {
  id: string;
  name: string;
  wrapupCodes: WrapupCodeRecord[];
}

/** An Open Messaging integration: the door customers come in through. */
export interface IntegrationRecord {
  id: string;
  name: string;
  /** The address customers write to (the integration's own id on the wire). */
  webhookUrl: string;
  createdMs: number;
  createdBy: string;
  queue: QueueRecord;
  /** Inbound message flow that greets a new customer (a bot message), or null for none. */
  flowName: string | null;
  greeting: string | null;
}

/** The customer as the messaging platform describes them (`channel.from`). */
export interface CustomerRecord {
  id: string;
  idType: IdType;
  nickname?: string;
  firstName?: string;
  lastName?: string;
}

export interface AttachmentRecord {
  id: string;
  mediaType: AttachmentMediaType;
  url: string;
  mime: string;
  filename?: string;
}

export interface ReceiptRecord {
  status: ReceiptStatus;
  timeMs: number;
}

/** One message of a conversation, with its text (events carry only its id and status). */
export interface MessageEntry {
  id: string;
  conversationId: string;
  participantId: string;
  communicationId: string;
  direction: 'inbound' | 'outbound';
  /** Who wrote it: the customer, a human agent (`userId`) or the inbound flow's bot. */
  author: 'customer' | 'agent' | 'bot';
  userId?: string;
  text?: string;
  attachments: AttachmentRecord[];
  /** The messaging platform's own id (inbound: `channel.messageId`). */
  providerMessageId?: string;
  timeMs: number;
  status: MessageStatus;
  receipts: ReceiptRecord[];
}

export interface CommunicationRecord {
  id: string;
  state: CommunicationState;
  initialState: CommunicationState;
  direction: 'inbound' | 'outbound';
  alertingMs?: number;
  connectedMs?: number;
  disconnectedMs?: number;
  disconnectType?: DisconnectType;
  /** Message ids on this communication, in order. */
  messageIds: string[];
}

export interface WrapupRecord {
  code: string;
  name: string;
  notes?: string;
  durationSeconds: number;
  endMs: number;
}

export interface ParticipantRecord {
  id: string;
  purpose: Purpose;
  name: string;
  userId?: string;
  queueId?: string;
  address?: string;
  startMs: number;
  connectedMs?: number;
  endMs?: number;
  communication: CommunicationRecord;
  alertingTimeoutMs?: number;
  wrapupRequired: boolean;
  startAcwMs?: number;
  wrapup?: WrapupRecord;
}

export interface ConversationRecord {
  id: string;
  integration: IntegrationRecord;
  customer: CustomerRecord;
  /** In the order they joined; a re-routed agent gets a new participant. */
  participants: ParticipantRecord[];
  startMs: number;
  endMs?: number;
}

/** What an agent sent, as the integration's webhook would have received it (for the control view). */
export interface OutboundRecord {
  conversationId: string;
  messageId: string;
  userId: string;
  customerId: string;
  text: string;
  timeMs: number;
}

export interface TypingRecord {
  conversationId: string;
  communicationId: string;
  userId: string;
  timeMs: number;
}

export function customerOf(conversation: ConversationRecord): ParticipantRecord {
  return conversation.participants.find((p) => p.purpose === 'customer') as ParticipantRecord;
}

export function agentsOf(conversation: ConversationRecord): ParticipantRecord[] {
  return conversation.participants.filter((p) => p.purpose === 'agent');
}

export function displayName(customer: CustomerRecord): string {
  const full = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return customer.nickname ?? (full || customer.id);
}
