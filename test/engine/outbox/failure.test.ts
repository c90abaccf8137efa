// Failed attempts: retry, give up, done or sign in; maybe-landed; the wording; the backoff delays.
import { describe, expect, it } from 'vitest';
import { GenesysError } from '../../../src/main/genesys/http.ts';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { OUTBOX_BACKOFF } from '../../../src/main/engine/outbox/options.ts';
import { backoffDelay } from '../../../src/main/engine/watch/backoff.ts';
import { PIN_LIMIT_MESSAGE, SOURCE_NOT_RUNNING, classify } from '../../../src/main/engine/outbox/failure.ts';
import type { OutboxAction } from '../../../src/main/engine/outbox/schema.ts';

const chat: ChatRef = { id: 'r@conference', kind: 'room', jid: 'r@conference', name: 'Room' };
const reply: OutboxAction = { kind: 'reply', chat, text: 'hi' };
const del: OutboxAction = { kind: 'delete', chat, messageId: 'm' };
const edit: OutboxAction = { kind: 'edit', chat, messageId: 'm', text: 'x' };
const pin: OutboxAction = { kind: 'pin', chat, messageId: 'm' };
const unpin: OutboxAction = { kind: 'unpin', chat, messageId: 'm' };
const http = (status: number, code = '', message = 'server says no'): GenesysError =>
  new GenesysError('http', message, status, code, status >= 500 || status === 429);

describe('classify', () => {
  it.each([
    ['a network error', new GenesysError('network', 'x', 0, '', true), reply, 'retry', true],
    ['a 503', http(503), reply, 'retry', true],
    ['a 429 (never applied)', http(429, 'too.many.requests'), reply, 'retry', false],
    ['an unreadable 2xx to a reply', new GenesysError('bad-response', 'x', 200), reply, 'retry', true],
    ['an unreadable 2xx to an edit', new GenesysError('bad-response', 'x', 200), edit, 'done', true],
    ['a 404 on delete', http(404, 'chat.message.not.found'), del, 'done', false],
    ['a 404 on unpin', http(404, 'chat.pin.not.found'), unpin, 'done', false],
    ['a 404 on edit', http(404, 'chat.message.not.found'), edit, 'fail', false],
    ['a 400', http(400, 'bad.request'), reply, 'fail', false],
    ['a sign-in problem', new GenesysError('needs-sign-in', 'x', 401), reply, 'sign-in', false],
    ['a cancelled request', new GenesysError('cancelled', 'x'), reply, 'retry', false],
    [
      'a source between two runs',
      new GenesysError('cancelled', 'x', 0, SOURCE_NOT_RUNNING),
      reply,
      'wait',
      false,
    ],
    ['an app bug', new Error('boom'), reply, 'fail', false],
  ] as const)('%s', (_name, err, action, verdict, mayHaveLanded) => {
    expect(classify(err, action)).toMatchObject({ verdict, mayHaveLanded });
  });

  it('words refusals for the user', () => {
    expect(classify(http(400, 'chat.pin.limit.exceeded', 'at most 5'), pin).error).toEqual({
      message: PIN_LIMIT_MESSAGE,
      code: 'chat.pin.limit.exceeded',
      status: 400,
    });
    expect(classify(http(403, 'chat.message.not.sender'), del).error.message).toBe(
      'You can only delete your own messages.',
    );
    expect(classify(http(403, 'chat.not.participant'), reply).error.message).toBe(
      'You are not a member of this chat any more.',
    );
    expect(classify(http(404, 'chat.message.not.found'), edit).error.message).toBe(
      'The message no longer exists.',
    );
    expect(classify(http(400, 'chat.reactions.disabled'), edit).error.message).toMatch(
      /Reactions are turned off/,
    );
    expect(classify(http(400, 'other', 'Body too odd.'), reply).error.message).toBe(
      'Genesys Cloud refused this: Body too odd.',
    );
  });
});

describe('the outbox backoff', () => {
  const o = OUTBOX_BACKOFF;
  it('doubles from about a second up to a minute, jittered within the upper half', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, o, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2].map((n) => backoffDelay(n, o, () => 0))).toEqual([500, 1_000]);
    expect(backoffDelay(7, o, () => 1)).toBe(60_000);
    expect(backoffDelay(30, o, () => 0)).toBe(30_000);
  });
});
