// A chat's API path follows its kind; a kind the client does not know is refused, never sent down
// the 1on1 path with the user's token.
import { describe, expect, it } from 'vitest';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { GenesysError } from '../../../src/main/genesys/http.ts';
import { chatPath } from '../../../src/main/genesys/paths.ts';

describe('chatPath', () => {
  it('reads a room by its jid and a 1on1 by the other user', () => {
    expect(chatPath({ kind: 'room', id: 'r@conference.x', jid: 'r@conference.x', name: 'R' })).toBe(
      '/api/v2/chats/rooms/r%40conference.x',
    );
    expect(chatPath({ kind: 'oneOnOne', id: 'u-bob', jid: 'bob@x', name: 'Bob' })).toBe(
      '/api/v2/chats/users/u-bob',
    );
  });

  it('refuses a kind it does not know instead of treating it as a 1on1', () => {
    const odd = { kind: 'fax', id: 'f-1', jid: '', name: 'Fax' } as unknown as ChatRef;
    expect(() => chatPath(odd)).toThrow(GenesysError);
    expect(() => chatPath(odd)).toThrow(/Not a chat kind: "fax"/);
  });

  it('refuses a customer conversation: it is not a Collaborate chat', () => {
    const customer: ChatRef = { kind: 'customer', id: 'conv-1', jid: '', name: 'Ana' };
    expect(() => chatPath(customer)).toThrow(GenesysError);
    expect(() => chatPath(customer)).toThrow(/customer conversation has no chat path/);
  });
});
