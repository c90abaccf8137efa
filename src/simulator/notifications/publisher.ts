// Turns chat changes into notification events: room message topics and per-user chat badges.
import type { ChatStore, StoreEvent } from '../store.ts';
import { iso } from '../clock.ts';
import type { Faults, PushShape } from '../faults.ts';
import { messageEventBody } from '../serialize.ts';
import type { ChatBadgeEvent, ChatMessageEvent } from '../types.ts';
import type { ChannelRegistry } from './channels.ts';
import { badgeTopic, roomTopic } from './topics.ts';

/**
 * Room message events (create, edit including reaction changes, delete) go to every channel
 * subscribed to the room's topic (`Room.id` form), and only while the channel's user is a
 * participant. 1on1 messages have no topic: the badge topic (`v2.users.{id}.badges.chats`) is their
 * signal. A `manglePush` fault sends the next events in another shape.
 */
export function startPublisher(
  store: ChatStore,
  channels: ChannelRegistry,
  faults: Faults,
  onError: (err: unknown) => void,
): () => void {
  return store.subscribe((event: StoreEvent) => {
    try {
      publish(store, channels, faults, event);
    } catch (err) {
      // A delivery problem must never undo or fail the change that caused it.
      onError(err);
    }
  });
}

function publish(store: ChatStore, channels: ChannelRegistry, faults: Faults, event: StoreEvent): void {
  if (event.type === 'message') {
    const chat = event.message.chat;
    if (chat.kind !== 'room') return;
    const topic = roomTopic(chat);
    const subscribers = channels.subscribers(topic);
    if (subscribers.length === 0) return;
    const official = messageEventBody(store, event.message, event.action);
    const shape = faults.takeMangle();
    const body = shape ? mangle(official, shape) : official;
    for (const channel of subscribers) {
      if (channel.userId !== null && chat.participants.has(channel.userId))
        channels.send(channel, topic, body);
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

function mangle(body: ChatMessageEvent, shape: PushShape): unknown {
  if (shape === 'legacy') return { ...body, from: body.from.entityJid, to: body.to.entityJid };
  return { eventVersion: 3, message: body };
}
