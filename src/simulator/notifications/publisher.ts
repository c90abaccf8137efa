// Turns chat changes into notification events: room message topics and per-user chat badges.
import type { ChatStore, StoreEvent } from '../store.ts';
import { iso } from '../clock.ts';
import { messageEventBody } from '../serialize.ts';
import type { ChatBadgeEvent } from '../types.ts';
import type { ChannelRegistry } from './channels.ts';
import { badgeTopic, roomTopics } from './topics.ts';

/**
 * Room message events (create, edit including reaction changes, delete) go to every channel
 * subscribed to the room's topic, spelled by id or by jid, using the subscriber's own spelling, and
 * only while the channel's user is a participant. 1on1 messages have no topic: the badge topic
 * (`v2.users.{id}.badges.chats`) is their signal.
 */
export function startPublisher(
  store: ChatStore,
  channels: ChannelRegistry,
  onError: (err: unknown) => void,
): () => void {
  return store.subscribe((event: StoreEvent) => {
    try {
      publish(store, channels, event);
    } catch (err) {
      // A delivery problem must never undo or fail the change that caused it.
      onError(err);
    }
  });
}

function publish(store: ChatStore, channels: ChannelRegistry, event: StoreEvent): void {
  if (event.type === 'message') {
    const chat = event.message.chat;
    if (chat.kind !== 'room') return;
    const body = messageEventBody(store, event.message, event.action);
    for (const topic of roomTopics(chat)) {
      for (const channel of channels.subscribers(topic)) {
        if (channel.userId !== null && chat.participants.has(channel.userId))
          channels.send(channel, topic, body);
      }
    }
    return;
  }
  const topic = badgeTopic(event.userId);
  const body: ChatBadgeEvent = {
    entity: { jabberId: store.jabberIdFor(event.chat, event.userId) },
    unreadCount: event.unreadCount,
    lastUnreadNotificationDate: iso(event.lastUnreadMs || store.clock.now()),
  };
  for (const channel of channels.subscribers(topic)) {
    if (channel.userId === event.userId) channels.send(channel, topic, body);
  }
}
