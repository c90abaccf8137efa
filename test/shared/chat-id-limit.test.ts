// One chat-id limit everywhere an id comes in: the popup's requests, the headless runner's lines,
// the saved inbox. A jid is at most CHAT_ID_MAX long on the wire, so nothing longer is a chat.
import { describe, expect, it } from 'vitest';
import { CHAT_ID_MAX } from '../../src/shared/domain/chat-ref.ts';
import { invokeChannels } from '../../src/shared/ipc/contract.ts';
import { ActionLine } from '../../src/main/headless/protocol.ts';
import { InboxItemSchema } from '../../src/main/engine/inbox.ts';

const longest = 'r'.repeat(CHAT_ID_MAX);
const tooLong = 'r'.repeat(CHAT_ID_MAX + 1);

describe('the chat id limit', () => {
  it('is the wire jid limit', () => {
    expect(CHAT_ID_MAX).toBe(512);
  });

  it('is the same for the popup, the headless runner and the inbox', () => {
    const history = invokeChannels['chat:history'].request;
    expect(history.safeParse({ chatId: longest }).success).toBe(true);
    expect(history.safeParse({ chatId: tooLong }).success).toBe(false);

    const read = (chatId: string) => ActionLine.safeParse({ type: 'read', chatId }).success;
    expect(read(longest)).toBe(true);
    expect(read(tooLong)).toBe(false);

    const item = (chatId: string) =>
      InboxItemSchema.safeParse({
        id: 'm1',
        messageId: 'm1',
        chatId,
        chatName: 'R',
        chatKind: 'room',
        kind: 'message',
        senderId: 'u',
        senderName: 'U',
        text: 'hi',
        at: 1,
        read: false,
      }).success;
    expect(item(longest)).toBe(true);
    expect(item(tooLong)).toBe(false);
  });
});
