// The simulated customer conversations: customers arriving through an Open Messaging integration,
// their messages, and the participants (customer, inbound flow, queue, agents) of each conversation.
// Agents' actions (accept, decline, end, wrap-up, re-route) are in routing.ts.
import type { Clock } from '../clock.ts';
import type { Prng } from '../prng.ts';
import type {
  AttachmentRecord,
  CommunicationRecord,
  ConversationRecord,
  CustomerRecord,
  IntegrationRecord,
  MessageEntry,
  OutboundRecord,
  ParticipantRecord,
  TypingRecord,
} from './model.ts';
import { displayName } from './model.ts';
import type { InboundMessage } from './requests.ts';
import type { CommunicationState, Purpose, ReceiptStatus, RoutingStatus } from './vocabulary.ts';
import { STATUS_OF_RECEIPT, STATUS_RANK } from './vocabulary.ts';

export type MessagingEvent =
  | { type: 'conversation'; conversation: ConversationRecord }
  | { type: 'typing'; conversation: ConversationRecord; durationMs: number }
  | { type: 'sent'; conversation: ConversationRecord; message: MessageEntry };

/** Keeps the last this-many outbound and typing records for the control interface. */
const LOG_LIMIT = 1000;

export class MessagingStore {
  readonly integrations = new Map<string, IntegrationRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly messages = new Map<string, MessageEntry>();
  readonly outbox: OutboundRecord[] = [];
  readonly typingLog: TypingRecord[] = [];
  /** Users with the messaging permissions; others get `missing.permissions`. */
  readonly permitted = new Set<string>();
  readonly routingStatus = new Map<string, RoutingStatus>();
  /** Provider message id (per integration) → our message id, so a retried inbound POST is not doubled. */
  readonly #byProviderId = new Map<string, string>();
  readonly #listeners = new Set<(event: MessagingEvent) => void>();
  readonly clock: Clock;
  readonly rng: Prng;

  constructor(clock: Clock, rng: Prng) {
    this.clock = clock;
    this.rng = rng;
  }

  subscribe(listener: (event: MessagingEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: MessagingEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  changed(conversation: ConversationRecord): void {
    this.emit({ type: 'conversation', conversation });
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** The conversation a customer of an integration is in now (not ended), if any. */
  activeFor(integration: IntegrationRecord, customerId: string): ConversationRecord | undefined {
    for (const c of this.conversations.values()) {
      if (c.integration === integration && c.customer.id === customerId && c.endMs === undefined) return c;
    }
    return undefined;
  }

  participant(conversation: ConversationRecord, id: string): ParticipantRecord | undefined {
    return conversation.participants.find((p) => p.id === id);
  }

  /** The participant owning a communication id. */
  communicationOwner(
    conversation: ConversationRecord,
    communicationId: string,
  ): ParticipantRecord | undefined {
    return conversation.participants.find((p) => p.communication.id === communicationId);
  }

  /** Whether a user has (or had) an agent participant in the conversation. */
  involves(conversation: ConversationRecord, userId: string): boolean {
    return conversation.participants.some((p) => p.userId === userId);
  }

  messagesOf(conversation: ConversationRecord): MessageEntry[] {
    const out: MessageEntry[] = [];
    for (const p of conversation.participants) {
      for (const id of p.communication.messageIds) out.push(this.messages.get(id) as MessageEntry);
    }
    return out.sort((a, b) => a.timeMs - b.timeMs);
  }

  // ---- building blocks -----------------------------------------------------------------------

  communication(
    state: CommunicationState,
    direction: 'inbound' | 'outbound',
    atMs: number,
  ): CommunicationRecord {
    return {
      id: this.rng.uuid(),
      state,
      initialState: state,
      direction,
      ...(state === 'alerting' ? { alertingMs: atMs } : {}),
      ...(state === 'connected' ? { connectedMs: atMs } : {}),
      messageIds: [],
    };
  }

  addParticipant(
    conversation: ConversationRecord,
    purpose: Purpose,
    name: string,
    communication: CommunicationRecord,
    extra: Partial<ParticipantRecord> = {},
  ): ParticipantRecord {
    const atMs = communication.alertingMs ?? communication.connectedMs ?? this.clock.now();
    const participant: ParticipantRecord = {
      id: this.rng.uuid(),
      purpose,
      name,
      startMs: atMs,
      ...(communication.state === 'connected' ? { connectedMs: atMs } : {}),
      communication,
      wrapupRequired: false,
      ...extra,
    };
    conversation.participants.push(participant);
    return participant;
  }

  /** Ends a participant's communication (no-op when it already ended). */
  disconnect(participant: ParticipantRecord, type: NonNullable<CommunicationRecord['disconnectType']>): void {
    const comm = participant.communication;
    if (comm.state === 'disconnected') return;
    const now = this.clock.now();
    comm.state = 'disconnected';
    comm.disconnectedMs = now;
    comm.disconnectType = type;
    participant.endMs = now;
  }

  addMessage(
    conversation: ConversationRecord,
    participant: ParticipantRecord,
    input: Omit<
      MessageEntry,
      'id' | 'conversationId' | 'participantId' | 'communicationId' | 'timeMs' | 'receipts'
    >,
  ): MessageEntry {
    const message: MessageEntry = {
      id: this.rng.uuid(),
      conversationId: conversation.id,
      participantId: participant.id,
      communicationId: participant.communication.id,
      timeMs: this.clock.nextMessageMs(),
      receipts: [],
      ...input,
    };
    this.messages.set(message.id, message);
    participant.communication.messageIds.push(message.id);
    return message;
  }

  // ---- the customer's side (inbound Open Messaging) ------------------------------------------

  /**
   * A customer's message: appended to the customer's current conversation, or the start of a new
   * one (customer, inbound flow with its greeting, queue), which the caller then offers to an agent.
   * A repeated provider message id returns the message it already made.
   */
  inboundMessage(
    integration: IntegrationRecord,
    input: InboundMessage,
  ): { message: MessageEntry; conversation: ConversationRecord; created: boolean; duplicate: boolean } {
    const providerKey = input.channel.messageId ? `${integration.id}|${input.channel.messageId}` : undefined;
    const known = providerKey ? this.#byProviderId.get(providerKey) : undefined;
    if (known) {
      const message = this.messages.get(known) as MessageEntry;
      const conversation = this.conversations.get(message.conversationId) as ConversationRecord;
      return { message, conversation, created: false, duplicate: true };
    }
    const from = input.channel.from;
    let conversation = this.activeFor(integration, from.id);
    const created = conversation === undefined;
    conversation ??= this.#startConversation(integration, {
      id: from.id,
      idType: from.idType,
      ...(from.nickname ? { nickname: from.nickname } : {}),
      ...(from.firstName ? { firstName: from.firstName } : {}),
      ...(from.lastName ? { lastName: from.lastName } : {}),
    });
    const customer = conversation.participants[0] as ParticipantRecord;
    const attachments: AttachmentRecord[] = (input.content ?? []).map(({ attachment }) => ({
      id: attachment.id ?? this.rng.uuid(),
      mediaType: attachment.mediaType,
      url: attachment.url,
      mime: attachment.mime,
      ...(attachment.filename ? { filename: attachment.filename } : {}),
    }));
    const message = this.addMessage(conversation, customer, {
      direction: 'inbound',
      author: 'customer',
      ...(input.text !== undefined && input.text.trim() !== '' ? { text: input.text } : {}),
      attachments,
      ...(input.channel.messageId ? { providerMessageId: input.channel.messageId } : {}),
      status: 'received',
    });
    if (providerKey) this.#byProviderId.set(providerKey, message.id);
    if (created) this.#greet(conversation);
    return { message, conversation, created, duplicate: false };
  }

  #startConversation(integration: IntegrationRecord, customer: CustomerRecord): ConversationRecord {
    const now = this.clock.now();
    const conversation: ConversationRecord = {
      id: this.rng.uuid(),
      integration,
      customer,
      participants: [],
      startMs: now,
    };
    this.addParticipant(
      conversation,
      'customer',
      displayName(customer),
      this.communication('connected', 'inbound', now),
      {
        address: customer.id,
      },
    );
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The inbound flow answers a new customer (a bot message), then hands the conversation to the queue. */
  #greet(conversation: ConversationRecord): void {
    const { integration } = conversation;
    const now = this.clock.now();
    if (integration.flowName) {
      const flow = this.addParticipant(
        conversation,
        'workflow',
        integration.flowName,
        this.communication('connected', 'outbound', now),
      );
      if (integration.greeting) {
        this.addMessage(conversation, flow, {
          direction: 'outbound',
          author: 'bot',
          text: integration.greeting,
          attachments: [],
          status: 'delivery-success',
        });
      }
      this.disconnect(flow, 'transfer');
    }
    this.addParticipant(
      conversation,
      'acd',
      integration.queue.name,
      this.communication('connected', 'inbound', now),
      {
        queueId: integration.queue.id,
      },
    );
  }

  /** Receipts move an agent's message forward (sent → delivered → read), never back. */
  inboundReceipt(message: MessageEntry, status: ReceiptStatus): void {
    const next = STATUS_OF_RECEIPT[status];
    message.receipts.push({ status, timeMs: this.clock.now() });
    if (STATUS_RANK[next] >= STATUS_RANK[message.status]) message.status = next;
  }

  /** Records what an agent sent (the integration's webhook would carry it to the customer). */
  logOutbound(conversation: ConversationRecord, message: MessageEntry, record: OutboundRecord): void {
    this.outbox.push(record);
    if (this.outbox.length > LOG_LIMIT) this.outbox.shift();
    this.emit({ type: 'sent', conversation, message });
  }

  logTyping(record: TypingRecord): void {
    this.typingLog.push(record);
    if (this.typingLog.length > LOG_LIMIT) this.typingLog.shift();
  }
}
