// Documented enum values of the messaging models, and a checker that walks a JSON value along an
// SDK model (test/support/sdk-models.ts) and reports every enum field holding another value.
// index.d.ts declares every enum as `string`; the values here come from the official SDKs' model
// sources (read with the search tools, never copied as code): Java
// `build/src/main/java/com/mypurecloud/sdk/v2/model/<Model>.java` and .NET
// `build/src/PureCloudPlatform.Client.V2/Model/<Model>.cs`.
import type { ModelType } from './sdk-models.ts';
import { sdkModel } from './sdk-models.ts';

export interface EnumRule {
  values: readonly string[];
  source: string;
}

const JAVA = (model: string): string => `Java SDK model ${model}.java`;

const COMM_STATE = ['alerting', 'connected', 'disconnected'];
const DIRECTION = ['inbound', 'outbound'];
const DISCONNECT_TYPES = [
  'endpoint',
  'client',
  'system',
  'timeout',
  'transfer',
  'transfer.conference',
  'transfer.consult',
  'transfer.forward',
  'transfer.noanswer',
  'transfer.notavailable',
  'transport.failure',
  'error',
  'peer',
  'other',
  'spam',
  'uncallable',
];
const MESSAGE_STATUS = [
  'queued',
  'sent',
  'failed',
  'received',
  'delivery-success',
  'delivery-failed',
  'read',
  'removed',
  'published',
];
const EVENT_MESSAGE_TYPES = [
  'unknown',
  'sms',
  'twitter',
  'facebook',
  'line',
  'viber',
  'wechat',
  'whatsapp',
  'telegram',
  'kakao',
  'webmessaging',
  'open',
  'instagram',
];
/** `purpose` is a free string; the documented well-known values plus `workflow` (UNCONFIRMED). */
const PURPOSES = ['agent', 'user', 'customer', 'external', 'acd', 'ivr', 'workflow'];
const ID_TYPES = ['Email', 'Phone', 'Opaque'];

/** model → field → the values it may hold. */
export const MESSAGING_ENUMS: Record<string, Record<string, EnumRule>> = {
  ConversationEventTopicParticipant: {
    purpose: { values: PURPOSES, source: 'MessageMediaParticipant.purpose doc (free string) + workflow' },
  },
  ConversationEventTopicMessage: {
    state: { values: COMM_STATE, source: JAVA('ConversationEventTopicMessage') },
    initialState: { values: COMM_STATE, source: JAVA('ConversationEventTopicMessage') },
    direction: { values: DIRECTION, source: JAVA('ConversationEventTopicMessage') },
    disconnectType: { values: DISCONNECT_TYPES, source: JAVA('ConversationEventTopicMessage') },
    type: { values: EVENT_MESSAGE_TYPES, source: '.NET/Java SDK ConversationEventTopicMessage' },
  },
  ConversationEventTopicMessageDetails: {
    messageStatus: { values: MESSAGE_STATUS, source: JAVA('ConversationEventTopicMessageDetails') },
  },
  MessageMediaParticipant: {
    purpose: { values: PURPOSES, source: 'MessageMediaParticipant.purpose doc (free string) + workflow' },
    state: {
      values: [
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
        'none',
      ],
      source: JAVA('MessageMediaParticipant'),
    },
    direction: { values: DIRECTION, source: JAVA('MessageMediaParticipant') },
    disconnectType: {
      values: DISCONNECT_TYPES.filter((t) => t !== 'timeout' && t !== 'uncallable'),
      source: JAVA('MessageMediaParticipant'),
    },
    type: {
      values: [
        'unknown',
        'sms',
        'twitter',
        'facebook',
        'line',
        'whatsapp',
        'telegram',
        'kakao',
        'webmessaging',
        'open',
        'instagram',
      ],
      source: JAVA('MessageMediaParticipant'),
    },
  },
  Participant: {
    purpose: { values: PURPOSES, source: 'MessageMediaParticipant.purpose doc (free string) + workflow' },
  },
  Message: {
    state: { values: COMM_STATE, source: JAVA('Message') },
    initialState: { values: COMM_STATE, source: JAVA('Message') },
    direction: { values: DIRECTION, source: JAVA('Message') },
    disconnectType: { values: DISCONNECT_TYPES, source: JAVA('Message') },
    type: {
      values: [
        'apple',
        'facebook',
        'instagram',
        'kakao',
        'line',
        'open',
        'sms',
        'telegram',
        'twitter',
        'webmessaging',
        'whatsapp',
        'unknown',
      ],
      source: JAVA('Message'),
    },
  },
  MessageDetails: {
    messageStatus: { values: MESSAGE_STATUS, source: JAVA('MessageDetails') },
  },
  MessageData: {
    direction: { values: DIRECTION, source: JAVA('MessageData') },
    messengerType: {
      values: ['sms', 'facebook', 'twitter', 'whatsapp', 'webmessaging', 'instagram', 'open', 'apple'],
      source: JAVA('MessageData'),
    },
    status: { values: MESSAGE_STATUS, source: JAVA('MessageData') },
  },
  ConversationNormalizedMessage: {
    type: {
      values: ['Text', 'Structured', 'Receipt', 'Event', 'Message', 'Unknown'],
      source: JAVA('ConversationNormalizedMessage'),
    },
    status: {
      values: ['Sent', 'Delivered', 'Read', 'Failed', 'Published', 'Removed'],
      source: JAVA('ConversationNormalizedMessage'),
    },
    originatingEntity: { values: ['Human', 'Bot'], source: JAVA('ConversationNormalizedMessage') },
    direction: { values: ['Inbound', 'Outbound'], source: JAVA('ConversationNormalizedMessage') },
  },
  ConversationMessageContent: {
    contentType: {
      values: [
        'Reactions',
        'Attachment',
        'Location',
        'QuickReply',
        'Notification',
        'ButtonResponse',
        'Story',
        'Mention',
        'Card',
        'Carousel',
        'Text',
        'QuickReplyV2',
        'DatePicker',
        'InteractiveApplication',
        'Unknown',
      ],
      source: JAVA('ConversationMessageContent'),
    },
  },
  ConversationContentAttachment: {
    mediaType: {
      values: ['Image', 'Video', 'Audio', 'File', 'Link'],
      source: JAVA('ConversationContentAttachment'),
    },
  },
  OpenContentAttachment: {
    mediaType: {
      values: ['Image', 'Video', 'Audio', 'File', 'Link'],
      source: 'as ConversationContentAttachment',
    },
  },
  OpenMessagingChannel: {
    platform: { values: ['Open'], source: JAVA('OpenMessagingChannel') },
    type: { values: ['Private'], source: JAVA('OpenMessagingChannel') },
  },
  OpenMessagingFromRecipient: {
    idType: { values: ID_TYPES, source: JAVA('OpenMessagingFromRecipient') },
  },
  OpenMessagingToRecipient: {
    idType: { values: ID_TYPES, source: 'as OpenMessagingFromRecipient' },
  },
  OpenInboundNormalizedReceipt: {
    status: {
      values: ['Sent', 'Delivered', 'Failed', 'Published', 'Removed'],
      source: JAVA('OpenInboundNormalizedReceipt') + ', .NET',
    },
  },
  OpenReceiptNormalizedMessage: {
    status: {
      values: ['Sent', 'Delivered', 'Failed', 'Published', 'Removed'],
      source: 'as OpenInboundNormalizedReceipt',
    },
  },
  MediaParticipantRequest: {
    state: {
      values: [
        ...COMM_STATE,
        'dialing',
        'contacting',
        'offering',
        'terminated',
        'converting',
        'uploading',
        'transmitting',
        'parked',
        'none',
      ],
      source: JAVA('MediaParticipantRequest'),
    },
  },
  ConversationEventTyping: {
    type: { values: ['On'], source: 'issue 13 / developer docs: { typing: { type: "On" } }' },
  },
};

/** Where `value` (of SDK model `model`) holds a value its documented enums do not list. */
export function enumProblems(model: string, value: unknown): string[] {
  const out: string[] = [];
  walk({ kind: 'model', name: model }, value, model, out);
  return out;
}

function walk(type: ModelType, value: unknown, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (type.kind === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => walk(type.of, item, `${path}[${i}]`, out));
    return;
  }
  if (type.kind === 'map' && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(type.of, v, `${path}[${JSON.stringify(k)}]`, out);
    return;
  }
  if (type.kind !== 'model' || typeof value !== 'object' || Array.isArray(value)) return;
  const model = sdkModel(type.name);
  const rules = MESSAGING_ENUMS[type.name] ?? {};
  for (const [key, item] of Object.entries(value)) {
    const field = model.get(key);
    if (!field) continue;
    const rule = rules[key];
    if (rule && typeof item === 'string' && !rule.values.includes(item)) {
      out.push(`${path}.${key}: '${item}' is not one of ${rule.values.join('|')} (${rule.source})`);
    }
    walk(field.type, item, `${path}.${key}`, out);
  }
}
