// Builders for engine tests: chat messages and events with readable defaults.
import type { ChatEvent, ChatMessage, EventSource } from '../../src/main/engine/model.ts';

export const ME = 'u-me';

export function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 'm1',
    chatId: 'room-1',
    chatKind: 'room',
    senderId: 'u-alice',
    senderName: 'Alice',
    body: 'hello',
    createdAt: Date.UTC(2025, 0, 6, 12, 0),
    mentions: [],
    notifyAll: false,
    reactions: {},
    ...overrides,
  };
}

export function created(overrides: Partial<ChatMessage> = {}, source: EventSource = 'push'): ChatEvent {
  return { type: 'created', source, message: message(overrides) };
}
