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

  it('takes a customer conversation as the conversation of a reply, an end or a wrap-up', () => {
    const customer = { kind: 'customer', id: 'conv-1', jid: '', name: 'Ana' } as const;
    for (const action of [
      { kind: 'reply', chat: customer, text: 'hi' },
      { kind: 'end', chat: customer },
      { kind: 'wrapup', chat: customer, code: 'w-1', notes: 'done' },
    ])
      expect(OutboxActionSchema.safeParse(action).success).toBe(true);
    expect(OutboxActionSchema.safeParse({ kind: 'wrapup', chat: customer, code: '' }).success).toBe(false);
  });

  it('lets only a plain reply through for a customer conversation (no pins, threads, reactions, edits)', () => {
    expect(actions.filter((a) => !actionRefusal(a, CHAT_CAPABILITIES.customer))).toEqual([actions[0]]);
  });

  it('ends and wraps up only what its capability record calls an interaction', () => {
    const customer = { kind: 'customer', id: 'conv-1', jid: '', name: 'Ana' } as const;
    const end: OutboxAction = { kind: 'end', chat: customer };
    expect(actionRefusal(end, CHAT_CAPABILITIES.customer)).toBeUndefined();
    expect(actionRefusal(end, CHAT_CAPABILITIES.room)).toBe(
      'This conversation does not support ending or wrapping up (only a customer interaction does).',
    );
    // The record decides, not the kind: a kind whose record allows it is let through.
    expect(actionRefusal(end, { ...CHAT_CAPABILITIES.room, endAndWrapup: true })).toBeUndefined();
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
