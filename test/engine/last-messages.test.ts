// The newest message per chat, for the chat list's previews: what batches say (newer, edited,
// deleted), bounded, restored from a damaged store without failing, and filled for quiet chats
// whatever order a history page comes in and whether its limit is honoured.
import { describe, expect, it } from 'vitest';
import {
  fillMissing,
  FILL_MAX,
  LAST_CHATS_MAX,
  LAST_TEXT_MAX,
  LastMessages,
} from '../../src/main/engine/last-messages.ts';
import type { ChatMessage, ChatRef } from '../../src/main/engine/model.ts';
import type { RosterEntry } from '../../src/main/genesys/mappers.ts';
import { created, message } from './fixtures.ts';

const T = Date.UTC(2025, 0, 6, 12, 0);

describe('LastMessages', () => {
  it('keeps the newest message of each chat, follows its edit and forgets it when deleted', () => {
    const last = new LastMessages();
    last.note('room-1', [created({ id: 'a', body: 'first', createdAt: T })]);
    last.note('room-1', [created({ id: 'old', body: 'older', createdAt: T - 1000 })]);
    expect(last.get('room-1')).toMatchObject({ messageId: 'a', text: 'first', senderName: 'Alice' });
    last.note('room-1', [
      { type: 'edited', source: 'push', message: message({ id: 'old', body: 'x', createdAt: T - 1000 }) },
    ]);
    expect(last.get('room-1')?.text).toBe('first');
    last.note('room-1', [
      { type: 'edited', source: 'push', message: message({ id: 'a', body: 'first, fixed', createdAt: T }) },
    ]);
    expect(last.get('room-1')?.text).toBe('first, fixed');
    last.note('room-1', [{ type: 'deleted', source: 'push', chatId: 'room-1', messageId: 'a' }]);
    expect(last.get('room-1')).toBeUndefined();
  });

  it('takes a whole batch in its order: the newest left standing, whatever came before it', () => {
    const last = new LastMessages();
    last.note('room-1', [created({ id: 'a', body: 'first', createdAt: T })]);
    // A backlog: newer messages, the newest deleted, then an older one read late.
    const changed = last.note('room-1', [
      created({ id: 'b', body: 'second', createdAt: T + 1000 }),
      created({ id: 'c', body: 'third', createdAt: T + 2000 }),
      { type: 'deleted', source: 'push', chatId: 'room-1', messageId: 'c' },
      created({ id: 'late', body: 'late', createdAt: T + 500 }),
    ]);
    expect(changed).toBe(true);
    expect(last.get('room-1')).toMatchObject({ messageId: 'late', text: 'late' });
    // Nothing newer and nothing of the newest: no change, nothing to save.
    expect(last.note('room-1', [created({ id: 'older', createdAt: T + 100 })])).toBe(false);
    expect(last.get('room-1')?.messageId).toBe('late');
    // The newest deleted and nothing after it: no preview.
    expect(
      last.note('room-1', [{ type: 'deleted', source: 'push', chatId: 'room-1', messageId: 'late' }]),
    ).toBe(true);
    expect(last.get('room-1')).toBeUndefined();
  });

  it('is bounded in chats and text, and restores what it can from a damaged store', () => {
    const last = new LastMessages();
    for (let i = 0; i < LAST_CHATS_MAX + 10; i++) {
      last.note(`chat-${i}`, [
        created({ id: `m${i}`, body: 'y'.repeat(LAST_TEXT_MAX + 50), createdAt: T + i }),
      ]);
    }
    const json = last.toJSON();
    expect(Object.keys(json)).toHaveLength(LAST_CHATS_MAX);
    expect(json['chat-0']).toBeUndefined();
    expect(json[`chat-${LAST_CHATS_MAX + 9}`]?.text).toHaveLength(LAST_TEXT_MAX);
    const hostile = JSON.parse('{"__proto__": {"at": 1}, "chat-bad": {"text": 7}}') as object;
    const restored = LastMessages.fromJSON({ ...json, ...hostile });
    expect(Object.getPrototypeOf(restored.toJSON())).toBe(Object.prototype);
    expect(restored.get('chat-bad')).toBeUndefined();
    expect(restored.get(`chat-${LAST_CHATS_MAX + 9}`)?.messageId).toBe(`m${LAST_CHATS_MAX + 9}`);
    for (const junk of [null, 'x', [1, 2], 7]) expect(LastMessages.fromJSON(junk).toJSON()).toEqual({});
  });
});

describe('fillMissing', () => {
  const room = (id: string, lastMessageAt?: number): RosterEntry => ({
    chat: { id, kind: 'room', jid: `${id}@conference`, name: id } as ChatRef,
    open: true,
    ...(lastMessageAt !== undefined ? { lastMessageAt } : {}),
  });

  it('reads the newest message of the most recent chats without one, in any page order', async () => {
    const asked: { chat: string; after?: number }[] = [];
    const pages: Record<string, ChatMessage[]> = {
      // Oldest first and longer than asked: the newest is still the one kept.
      r1: [message({ id: 'r1-a', createdAt: T - 5 }), message({ id: 'r1-b', body: 'newest', createdAt: T })],
      r2: [
        message({ id: 'r2-b', body: 'two', createdAt: T - 10 }),
        message({ id: 'r2-a', createdAt: T - 20 }),
      ],
      r3: [],
    };
    const api = {
      history: async (chat: ChatRef, q: { after?: number }) => {
        asked.push({ chat: chat.id, ...(q.after !== undefined ? { after: q.after } : {}) });
        return pages[chat.id] ?? [];
      },
    };
    const last = new LastMessages();
    last.note('known', [created({ id: 'k', createdAt: T })]);
    const filled = await fillMissing(
      last,
      [room('r2', T - 10), room('known', T), room('r1', T), room('r3', T - 30), room('never')],
      api,
    );
    expect(filled).toEqual(['r1', 'r2']);
    expect(asked).toEqual([
      { chat: 'r1', after: T - 1 },
      { chat: 'r2', after: T - 11 },
      { chat: 'r3', after: T - 31 },
    ]);
    expect(last.get('r1')?.text).toBe('newest');
    expect(last.get('r2')?.text).toBe('two');
  });

  it(`reads at most ${FILL_MAX} chats at a time`, async () => {
    let reads = 0;
    const api = { history: async () => (reads++, [message({ createdAt: T })]) };
    const chats = Array.from({ length: FILL_MAX + 15 }, (_, i) => room(`c${i}`, T - i));
    expect(await fillMissing(new LastMessages(), chats, api)).toHaveLength(FILL_MAX);
    expect(reads).toBe(FILL_MAX);
  });
});
