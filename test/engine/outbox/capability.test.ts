// The outbox asks the chat kind's capability record before it queues an action.
import { describe, expect, it } from 'vitest';
import { CHAT_CAPABILITIES, ChatKindSchema } from '../../../src/shared/domain/kinds.ts';
import { actionRefusal } from '../../../src/main/engine/outbox/capability.ts';
import { OutboxActionSchema, type OutboxAction } from '../../../src/main/engine/outbox/schema.ts';

const room = { kind: 'room', id: 'r1', jid: 'r1', name: 'Room' } as const;
const actions: OutboxAction[] = [
  { kind: 'reply', chat: room, text: 'hi' },
  { kind: 'reply', chat: room, text: 'hi', threadId: 'm1' },
  { kind: 'react', chat: room, messageId: 'm1', emoji: '👍', on: true },
  { kind: 'pin', chat: room, messageId: 'm1' },
  { kind: 'unpin', chat: room, messageId: 'm1' },
  { kind: 'edit', chat: room, messageId: 'm1', text: 'x' },
  { kind: 'delete', chat: room, messageId: 'm1' },
];

describe('actionRefusal', () => {
  it('lets every action through in rooms and 1on1s, which Genesys supports alike', () => {
    for (const kind of ChatKindSchema.exclude(['customer']).options) {
      for (const a of actions) expect(actionRefusal(a, CHAT_CAPABILITIES[kind])).toBeUndefined();
    }
  });

  it('never queues an action for a customer conversation (it has no chat path)', () => {
    const customer = { kind: 'customer', id: 'conv-1', jid: '', name: 'Ana' } as const;
    const parsed = OutboxActionSchema.safeParse({ kind: 'reply', chat: customer, text: 'hi' });
    expect(parsed.success).toBe(false);
    expect(OutboxActionSchema.safeParse({ kind: 'reply', chat: room, text: 'hi' }).success).toBe(true);
  });

  it('lets only a plain reply through for a customer conversation (no pins, threads, reactions, edits)', () => {
    expect(actions.filter((a) => !actionRefusal(a, CHAT_CAPABILITIES.customer))).toEqual([actions[0]]);
  });

  it('refuses what a kind cannot do, and only that', () => {
    const noPins = { ...CHAT_CAPABILITIES.room, pins: false, threads: false };
    expect(actions.map((a) => actionRefusal(a, noPins))).toEqual([
      undefined,
      'This conversation does not support threads.',
      undefined,
      'This conversation does not support pinned messages.',
      'This conversation does not support pinned messages.',
      undefined,
      undefined,
    ]);
    const noEdits = { ...CHAT_CAPABILITIES.oneOnOne, editDelete: false, reactions: false };
    expect(actions.filter((a) => actionRefusal(a, noEdits)).map((a) => a.kind)).toEqual([
      'react',
      'edit',
      'delete',
    ]);
  });
});
