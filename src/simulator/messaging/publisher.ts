// Messaging notifications: who may subscribe to the conversation topics, and the events they get.
// Every change of a conversation goes, as a full snapshot, to `v2.users.{userId}.conversations` of
// every user with an agent participant in it (also one that has ended); a customer typing goes to
// `v2.users.{userId}.conversations.inbound.typing.event` of the agents still connected.
import type { Caller } from '../context.ts';
import type { ChannelRegistry } from '../notifications/channels.ts';
import type { ClientScopes } from './access.ts';
import type { MessagingStore, MessagingEvent } from './store.ts';
import { SCOPES } from './vocabulary.ts';
import { conversationEventBody, conversationsTopic, typingEventBody, typingTopic } from './wire-event.ts';

const USER_CONVERSATIONS = /^v2\.users\.([^.]+)\.conversations(\.inbound\.typing\.event)?$/;

/**
 * The decision on a messaging topic: a rejection reason, null when permitted, undefined when the
 * topic is not a messaging one. The topic is the caller's own only, and its OAuth client needs the
 * `conversations` (or `conversations:readonly`) scope; without the messaging permission the topic
 * is still permitted (it carries every media type) and simply brings no messaging events.
 */
export function messagingTopicDecision(
  scopes: ClientScopes,
  caller: Caller,
  topic: string,
): string | null | undefined {
  const match = USER_CONVERSATIONS.exec(topic);
  if (!match) return undefined;
  if (caller.userId === null) return 'Requires a user token';
  if (match[1] !== caller.userId) return 'Not your user id';
  if (!scopes.hasAny(caller.clientId, [SCOPES.conversations, SCOPES.conversationsReadonly])) {
    return 'Missing scope conversations';
  }
  return null;
}

export function startMessagingPublisher(
  store: MessagingStore,
  channels: ChannelRegistry,
  onError: (err: unknown) => void,
): () => void {
  return store.subscribe((event: MessagingEvent) => {
    try {
      publish(store, channels, event);
    } catch (err) {
      // A delivery problem must never undo or fail the change that caused it.
      onError(err);
    }
  });
}

function publish(store: MessagingStore, channels: ChannelRegistry, event: MessagingEvent): void {
  if (event.type === 'sent') return;
  const { conversation } = event;
  const users = new Set<string>();
  for (const p of conversation.participants) {
    if (p.purpose !== 'agent' || !p.userId) continue;
    if (event.type === 'typing' && p.communication.state === 'disconnected') continue;
    users.add(p.userId);
  }
  if (users.size === 0) return;
  const body =
    event.type === 'conversation'
      ? conversationEventBody(store, conversation)
      : typingEventBody(conversation, event.durationMs, store.clock.now());
  for (const userId of users) {
    if (!store.permitted.has(userId)) continue;
    const topic = event.type === 'conversation' ? conversationsTopic(userId) : typingTopic(userId);
    for (const channel of channels.subscribers(topic)) {
      if (channel.userId === userId) channels.send(channel, topic, body);
    }
  }
}
