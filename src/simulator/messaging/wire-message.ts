// A message's content on the wire: `MessageData` (the agent-side REST answers: text in
// `normalizedMessage.text`, attachments in `normalizedMessage.content[]`, the deprecated `textBody`
// only when asked for) and the Open Messaging answers (`OpenMessageNormalizedMessage`,
// `OpenEventNormalizedMessage`, `OpenReceiptNormalizedMessage`) and integration (`OpenIntegration`).
import { iso } from '../clock.ts';
import { userUri } from '../serialize.ts';
import type { ConversationRecord, CustomerRecord, IntegrationRecord, MessageEntry } from './model.ts';
import type { InboundReceipt } from './requests.ts';
import { messageUri } from './wire-rest.ts';

type Json = Record<string, unknown>;

function customerRecipient(customer: CustomerRecord): Json {
  return {
    ...(customer.nickname ? { nickname: customer.nickname } : {}),
    id: customer.id,
    idType: customer.idType,
    ...(customer.firstName ? { firstName: customer.firstName } : {}),
    ...(customer.lastName ? { lastName: customer.lastName } : {}),
  };
}

function attachmentsContent(message: MessageEntry): Json[] {
  return message.attachments.map((a) => ({
    contentType: 'Attachment',
    attachment: {
      id: a.id,
      mediaType: a.mediaType,
      url: a.url,
      mime: a.mime,
      ...(a.filename ? { filename: a.filename } : {}),
    },
  }));
}

/** The channel of a message: from the customer to the integration, or the other way round. */
function channelJson(conversation: ConversationRecord, message: MessageEntry): Json {
  const { integration, customer } = conversation;
  const us = { id: integration.id };
  const them = customerRecipient(customer);
  const inbound = message.direction === 'inbound';
  return {
    id: integration.id,
    platform: 'Open',
    type: 'Private',
    ...(message.providerMessageId ? { messageId: message.providerMessageId } : {}),
    to: inbound ? us : them,
    from: inbound ? them : us,
    time: iso(message.timeMs),
  };
}

export interface MessageDataOptions {
  /** Add the deprecated `textBody` (Genesys removed it from responses in 2026). */
  textBody: boolean;
  /** The agents' names, for `createdBy`. */
  userName: (id: string) => string | undefined;
}

/** `MessageData`: one message with its text (GET message, bulk, details, send answer). */
export function messageDataJson(
  conversation: ConversationRecord,
  message: MessageEntry,
  options: MessageDataOptions,
): Json {
  const { integration, customer } = conversation;
  const inbound = message.direction === 'inbound';
  const content = attachmentsContent(message);
  const normalized: Json = {
    id: message.id,
    channel: channelJson(conversation, message),
    type: 'Text',
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(content.length > 0 ? { content } : {}),
    direction: inbound ? 'Inbound' : 'Outbound',
    ...(inbound ? {} : { originatingEntity: message.author === 'bot' ? 'Bot' : 'Human' }),
  };
  const receipts = message.receipts.map((r, i) => ({
    id: message.id,
    channel: {
      ...channelJson(conversation, message),
      to: { id: integration.id },
      from: customerRecipient(customer),
      time: iso(r.timeMs),
    },
    type: 'Receipt',
    status: r.status,
    direction: 'Inbound',
    isFinalReceipt: i === message.receipts.length - 1 && (r.status === 'Read' || r.status === 'Failed'),
  }));
  const creator = message.userId ? options.userName(message.userId) : undefined;
  return {
    id: message.id,
    ...(message.providerMessageId ? { providerMessageId: message.providerMessageId } : {}),
    timestamp: iso(message.timeMs),
    fromAddress: inbound ? customer.id : integration.id,
    toAddress: inbound ? integration.id : customer.id,
    direction: message.direction,
    messengerType: 'open',
    ...(options.textBody ? { textBody: message.text ?? '' } : {}),
    status: message.status,
    normalizedMessage: normalized,
    ...(receipts.length > 0 ? { normalizedReceipts: receipts } : {}),
    ...(message.userId
      ? {
          createdBy: {
            id: message.userId,
            ...(creator ? { name: creator } : {}),
            version: 1,
            selfUri: userUri(message.userId),
          },
        }
      : {}),
    conversationId: conversation.id,
    selfUri: messageUri(conversation.id, message.id),
  };
}

/** `OpenMessageNormalizedMessage`: the answer to an inbound Open Messaging message. */
export function openMessageAnswer(
  conversation: ConversationRecord,
  message: MessageEntry,
  prefetch: boolean,
): Json {
  const content = attachmentsContent(message);
  return {
    id: message.id,
    channel: channelJson(conversation, message),
    type: 'Text',
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(content.length > 0 ? { content } : {}),
    ...(prefetch ? { conversationId: conversation.id } : {}),
  };
}

/** `OpenEventNormalizedMessage`: the answer to an inbound event (typing). */
export function openEventAnswer(
  id: string,
  integration: IntegrationRecord,
  customer: CustomerRecord,
  timeMs: number,
  durationMs: number,
): Json {
  return {
    id,
    channel: {
      id: integration.id,
      platform: 'Open',
      type: 'Private',
      to: { id: integration.id },
      from: customerRecipient(customer),
      time: iso(timeMs),
    },
    type: 'Event',
    events: [{ eventType: 'Typing', typing: { type: 'On', duration: durationMs } }],
  };
}

/** `OpenReceiptNormalizedMessage`: the answer to an inbound receipt. */
export function openReceiptAnswer(integration: IntegrationRecord, receipt: InboundReceipt): Json {
  return {
    id: receipt.id,
    channel: {
      id: integration.id,
      platform: 'Open',
      type: 'Private',
      to: { ...receipt.channel.to, idType: receipt.channel.to.idType ?? 'Opaque' },
      from: { id: integration.id, idType: 'Opaque' },
      time: receipt.channel.time,
    },
    type: 'Receipt',
    status: receipt.status,
    ...(receipt.reasons ? { reasons: receipt.reasons } : {}),
    isFinalReceipt: receipt.isFinalReceipt ?? (receipt.status === 'Read' || receipt.status === 'Failed'),
    direction: 'Outbound',
  };
}

/** `OpenIntegration`. */
export function integrationJson(integration: IntegrationRecord): Json {
  const creator = { id: integration.createdBy, selfUri: userUri(integration.createdBy) };
  return {
    id: integration.id,
    name: integration.name,
    supportedContent: {
      id: '00000000-0000-4000-8000-00000000c0de',
      name: 'Default supported content',
      selfUri: '/api/v2/conversations/messaging/supportedcontent/00000000-0000-4000-8000-00000000c0de',
    },
    outboundNotificationWebhookUrl: integration.webhookUrl,
    outboundNotificationWebhookSignatureSecretToken: '********',
    status: 'Active',
    dateCreated: iso(integration.createdMs),
    dateModified: iso(integration.createdMs),
    createdBy: creator,
    modifiedBy: creator,
    createStatus: 'Completed',
    selfUri: `/api/v2/conversations/messaging/integrations/open/${integration.id}`,
  };
}
