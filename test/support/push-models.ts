// What the official sources say about the notification path, as data the tests hold frames to:
// which model each topic carries (the Go SDK's notificationMappings.json) and the documented enum
// values (the .NET SDK's model sources), and one check of a whole frame against them.
import { modelProblems } from './sdk-models.ts';

/**
 * Topic template → model, as the Go SDK's notificationMappings.json states it (the entries the app
 * meets; the file lists 237). Copied as data so the tests run without the SDK checkout.
 */
export const TOPIC_MODELS: Record<string, string> = {
  'v2.detail.events.collaboratechat.group.{id}.messages':
    'CollaborateChatGroupMessageEventTopicCollaborateChatMessage',
  'v2.detail.events.collaboratechat.adhoc.{id}.messages':
    'CollaborateChatAdhocMessageEventTopicCollaborateChatMessage',
  'v2.users.{id}.badges.chats': 'ChatBadgeTopicChatBadge',
  'v2.system.socket_closing': 'SystemMessageSystemMessage',
  'v2.system.no_longer_subscribed.{id}': 'SystemMessageSystemMessage',
  'v2.system.token_revoked.{id}': 'SystemMessageSystemMessage',
};

/** Documented enum values: the .NET SDK's model sources (EnumMember values of each enum). */
export const ENUMS = {
  /** CollaborateChat{Group,Adhoc}MessageEventTopicCollaborateChatMessage.ActionTypeEnum */
  actionType: ['Create', 'Edit', 'Delete'],
  /** CollaborateChat{Group,Adhoc}MessageEventTopicCollaborateChatEntity.EntityTypeEnum */
  entityType: ['User', 'Group', 'Adhoc'],
  /** ChannelTopic.StateEnum */
  topicState: ['Permitted', 'Rejected'],
};

const ENVELOPE_FIELDS = ['topicName', 'version', 'eventBody', 'metadata'];

export function topicPattern(template: string): RegExp {
  const parts = template.split('{id}').map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^\\s]+')}$`);
}

/** The topic template a topic name matches, if any of the mapped ones. */
export function templateOf(topicName: string): string | undefined {
  return Object.keys(TOPIC_MODELS).find((t) => topicPattern(t).test(topicName));
}

/** Where a chat event body uses a value its enums do not document. */
export function enumProblems(model: string, body: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (model.startsWith('CollaborateChat')) {
    if (!ENUMS.actionType.includes(String(body.actionType)))
      out.push(`actionType ${String(body.actionType)}`);
    const entities = [body.from, body.to, ...((body.mentions as unknown[] | undefined) ?? [])];
    for (const e of entities.filter(Boolean) as { entityType?: string }[])
      if (!ENUMS.entityType.includes(String(e.entityType))) out.push(`entityType ${String(e.entityType)}`);
  }
  if (model === 'ChannelTopicEntityListing') {
    for (const t of (body.entities as { state?: string }[] | undefined) ?? [])
      if (!ENUMS.topicState.includes(String(t.state))) out.push(`state ${String(t.state)}`);
  }
  return out;
}

/**
 * Every way one socket frame departs from what the sources document: the envelope, the model its
 * topic carries (fields and types), the enums; heartbeats, pongs and the 404 in their known forms.
 */
export function frameProblems(frame: unknown): string[] {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return ['not an object'];
  const f = frame as Record<string, unknown>;
  if ('result' in f)
    return JSON.stringify(f) === '{"result":"404"}' ? [] : [`result frame ${JSON.stringify(f)}`];
  const out = Object.keys(f)
    .filter((k) => !ENVELOPE_FIELDS.includes(k))
    .map((k) => `envelope field ${k}`);
  const topic = String(f.topicName);
  if (topic === 'channel.metadata') {
    const message = (f.eventBody as { message?: unknown } | undefined)?.message;
    if (message !== 'WebSocket Heartbeat' && message !== 'pong') out.push(`metadata ${String(message)}`);
    return out;
  }
  const template = templateOf(topic);
  if (!template) return [...out, `no model for topic ${topic}`];
  const model = TOPIC_MODELS[template]!;
  if (f.version !== '2') out.push(`version ${String(f.version)}`);
  if (typeof (f.metadata as { CorrelationId?: unknown } | undefined)?.CorrelationId !== 'string')
    out.push('metadata.CorrelationId');
  const body = f.eventBody as Record<string, unknown>;
  return [...out, ...modelProblems(model, body), ...enumProblems(model, body ?? {})];
}
