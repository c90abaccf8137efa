// The headless line protocol's customer-conversation lines (issue 13 item 5): accept, decline, end,
// wrapup and a reply to a conversation parse; anything malformed is a clear error, never an exception.
import { describe, expect, it } from 'vitest';
import { parseActionLine } from '../../src/main/headless/protocol.ts';

const CONV = '3e8f1c2a-9b7d-4f60-8a1e-5c4d3b2a1f09';

describe('customer conversation actions', () => {
  it.each([
    [{ type: 'accept', conversationId: CONV }],
    [{ type: 'decline', conversationId: CONV }],
    [{ type: 'end', conversationId: CONV }],
    [{ type: 'wrapup', conversationId: CONV, code: '9ae7f8a9-b0c1-43c4-9fd6-f7a8b9c0d1e2' }],
    [{ type: 'wrapup', conversationId: CONV, code: '9ae7', notes: 'Re-shipped; tracking sent.' }],
    [{ type: 'reply', chatId: CONV, text: 'Checking now.' }],
  ])('%j parses as itself', (line) => {
    expect(parseActionLine(JSON.stringify(line))).toEqual({ ok: true, action: line });
  });

  it.each([
    [{ type: 'accept' }, 'conversationId'],
    [{ type: 'decline', conversationId: '' }, 'conversationId'],
    [{ type: 'end', conversationId: 42 }, 'conversationId'],
    [{ type: 'wrapup', conversationId: CONV }, 'code'],
    [{ type: 'wrapup', conversationId: CONV, code: 'x', notes: 'n'.repeat(10_001) }, 'notes'],
    [{ type: 'accept', conversationId: 'c'.repeat(257) }, 'conversationId'],
  ])('%j is refused, naming %s', (line, field) => {
    const parsed = parseActionLine(JSON.stringify(line));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(new RegExp(`^Invalid action: ${field}`));
  });

  it('unknown fields are dropped, not passed on', () => {
    const parsed = parseActionLine(
      JSON.stringify({ type: 'accept', conversationId: CONV, participantId: 'p' }),
    );
    expect(parsed).toEqual({ ok: true, action: { type: 'accept', conversationId: CONV } });
  });
});
