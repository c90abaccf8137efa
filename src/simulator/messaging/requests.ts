// Request bodies of the messaging endpoints (zod), after the SDK models they are documented as:
// OpenInboundNormalizedMessage / Event / Receipt, AdditionalMessage, MessageTypingEventRequest,
// MediaParticipantRequest, WrapupInput and the bulk endpoint's array of message ids.
import { z } from 'zod';
import { AttachmentMediaType, IdType, ReceiptStatus } from './vocabulary.ts';

/** Longest text the simulator accepts on its Open Messaging integration (UNCONFIRMED for Genesys). */
export const MAX_TEXT_LENGTH = 4000;
/** Most message ids one bulk request may name (seed 004). */
export const MAX_BULK_IDS = 1000;

const id = z.string().min(1).max(400);
const isoTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time');

const recipient = z.object({
  id,
  idType: IdType,
  nickname: z.string().max(200).optional(),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  image: z.string().max(2000).optional(),
});

const attachment = z.object({
  id: id.optional(),
  mediaType: AttachmentMediaType,
  url: z.url().max(2000),
  mime: z.string().min(1).max(200),
  filename: z.string().max(500).optional(),
  sha256: z.string().max(200).optional(),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
});

/** `OpenInboundNormalizedMessage`: a customer's message; text, attachments or both. */
export const inboundMessageSchema = z
  .object({
    channel: z.object({
      from: recipient,
      time: isoTime,
      messageId: id.optional(),
      metadata: z.object({ subType: z.string().max(100).optional() }).optional(),
    }),
    text: z.string().max(MAX_TEXT_LENGTH).optional(),
    content: z.array(z.object({ attachment })).max(10).optional(),
    metadata: z.record(z.string().max(200), z.string().max(2000)).optional(),
  })
  .refine(
    (m) => (m.text !== undefined && m.text.trim() !== '') || (m.content?.length ?? 0) > 0,
    'a message needs text or content',
  );
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

const typing = z.object({ type: z.literal('On'), duration: z.int().min(0).max(60_000).optional() });

/** `OpenInboundNormalizedEvent`: events from the customer's side (typing). */
export const inboundEventSchema = z.object({
  channel: z.object({ from: recipient, time: isoTime }),
  events: z
    .array(z.object({ eventType: z.literal('Typing'), typing: typing.optional() }))
    .min(1)
    .max(10),
});
export type InboundEvent = z.infer<typeof inboundEventSchema>;

/** `OpenInboundNormalizedReceipt`: the customer's platform reports what became of an agent's message. */
export const inboundReceiptSchema = z.object({
  id,
  channel: z.object({ to: recipient.partial({ idType: true }), time: isoTime }),
  status: ReceiptStatus,
  reasons: z
    .array(z.object({ code: z.string().max(200).optional(), message: z.string().max(2000) }))
    .max(10)
    .optional(),
  isFinalReceipt: z.boolean().optional(),
});
export type InboundReceipt = z.infer<typeof inboundReceiptSchema>;

/** `AdditionalMessage`; that exactly one body field is given is checked by the route. */
export const sendSchema = z.object({
  textBody: z.string().optional(),
  mediaIds: z.array(id).max(10).optional(),
  messagingTemplate: z.record(z.string(), z.unknown()).optional(),
});

/** `MessageTypingEventRequest`. */
export const typingSchema = z.object({ typing, dateSent: isoTime.optional() });

/** `WrapupInput`. */
export const wrapupSchema = z.object({
  code: id.optional(),
  name: z.string().max(200).optional(),
  notes: z.string().max(2000).optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
  durationSeconds: z.int().min(0).optional(),
  endTime: isoTime.optional(),
  provisional: z.boolean().optional(),
  disableEndTimeUpdates: z.boolean().optional(),
});
export type WrapupInput = z.infer<typeof wrapupSchema>;

/** `MediaParticipantRequest` (its `state` values: the Java SDK's MediaParticipantRequest.StateEnum). */
export const participantPatchSchema = z.object({
  state: z
    .enum([
      'alerting',
      'dialing',
      'contacting',
      'offering',
      'connected',
      'disconnected',
      'terminated',
      'converting',
      'uploading',
      'transmitting',
      'parked',
      'none',
    ])
    .optional(),
  wrapup: wrapupSchema.optional(),
  wrapupSkipped: z.boolean().optional(),
  recording: z.boolean().optional(),
  muted: z.boolean().optional(),
  confined: z.boolean().optional(),
  held: z.boolean().optional(),
});

/** The bulk endpoint's body: an array of message ids. */
export const bulkSchema = z.array(id).min(1).max(MAX_BULK_IDS);
