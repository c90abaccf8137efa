// The Messaging Conversations vocabulary the simulator speaks: one zod enum per term, types derived.
// Values are the documented ones (Genesys SDK models' enums: the Java/.NET SDKs'
// ConversationEventTopicMessage, MessageDetails, MessageData, ConversationNormalizedMessage,
// OpenMessagingFromRecipient, OpenInboundNormalizedReceipt, MediaParticipantRequest); the simulator
// uses a subset of each.
import { z } from 'zod';

/** A communication's state (`ConversationEventTopicMessage.state`, `Message.state`). */
export const CommunicationState = z.enum(['alerting', 'connected', 'disconnected']);
export type CommunicationState = z.infer<typeof CommunicationState>;

/**
 * Why a communication ended (`disconnectType`): `client` (ended through the API), `peer` (the other
 * side ended it), `transfer` (handed on), `transfer.noanswer` (an offer nobody answered).
 */
export const DisconnectType = z.enum(['client', 'peer', 'transfer', 'transfer.noanswer', 'system']);
export type DisconnectType = z.infer<typeof DisconnectType>;

/** Participant purposes the simulator uses. */
export const Purpose = z.enum(['customer', 'workflow', 'acd', 'agent']);
export type Purpose = z.infer<typeof Purpose>;

/** A message's delivery status (`MessageDetails.messageStatus`, `MessageData.status`). */
export const MessageStatus = z.enum([
  'queued',
  'sent',
  'failed',
  'received',
  'delivery-success',
  'delivery-failed',
  'read',
  'removed',
  'published',
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

/**
 * The status an Open Messaging receipt reports (`OpenInboundNormalizedReceipt.status`: Sent,
 * Delivered, Failed, Published, Removed). `Read` is the simulator's extension (the SDKs' receipt
 * enum lacks it; `ConversationNormalizedMessage.status` has it), so that a `read` message status,
 * which WhatsApp and web messaging conversations show, can be produced.
 */
export const ReceiptStatus = z.enum(['Sent', 'Delivered', 'Read', 'Failed', 'Published', 'Removed']);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

/** Receipt status → the message status it leaves the message in. */
export const STATUS_OF_RECEIPT: Record<ReceiptStatus, MessageStatus> = {
  Sent: 'sent',
  Delivered: 'delivery-success',
  Read: 'read',
  Failed: 'delivery-failed',
  Published: 'published',
  Removed: 'removed',
};

/** How far along a message's delivery is; a receipt never moves a message backwards. */
export const STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  sent: 1,
  received: 1,
  published: 2,
  'delivery-success': 2,
  read: 3,
  failed: 4,
  'delivery-failed': 4,
  removed: 5,
};

/** The recipient id's format (`OpenMessagingFromRecipient.idType`). */
export const IdType = z.enum(['Email', 'Phone', 'Opaque']);
export type IdType = z.infer<typeof IdType>;

/** Attachment kinds (`ConversationContentAttachment.mediaType`). */
export const AttachmentMediaType = z.enum(['Image', 'Video', 'Audio', 'File', 'Link']);
export type AttachmentMediaType = z.infer<typeof AttachmentMediaType>;

/** States an agent may set on its own participant (`MediaParticipantRequest.state`). */
export const ParticipantStateRequest = z.enum(['connected', 'disconnected']);
export type ParticipantStateRequest = z.infer<typeof ParticipantStateRequest>;

/** The agent's routing status after an offer ends (what Genesys shows as "Not Responding"). */
export type RoutingStatus = 'IDLE' | 'INTERACTING' | 'NOT_RESPONDING';

/** OAuth scopes the messaging endpoints check. */
export const SCOPES = {
  conversations: 'conversations',
  conversationsReadonly: 'conversations:readonly',
  messaging: 'messaging',
  messagingReadonly: 'messaging:readonly',
} as const;

/** Permissions the simulator names in `missing.permissions` answers. */
export const PERMISSIONS = {
  view: 'conversation:message:view',
  create: 'conversation:message:create',
} as const;
