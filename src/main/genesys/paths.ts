// API paths built from ids, safely.
import type { ChatRef } from '../engine/model.ts';
import { GenesysError } from './http.ts';

/**
 * One path segment from an id. `.` and `..` survive encodeURIComponent and would be resolved by
 * the URL parser into another API path (with the user's token), so they are refused outright.
 */
export function enc(id: string): string {
  if (id === '' || id === '.' || id === '..')
    throw new GenesysError('http', `Not a valid id: "${id}".`, 400, 'bad.request');
  return encodeURIComponent(id);
}

/**
 * A chat's API path: rooms by jid, 1on1s by the other user's id; customer conversations have none. A kind it does not know (data that
 * escaped validation, or a kind added without its path) is refused, never sent down another kind's path.
 */
export function chatPath(chat: ChatRef): string {
  const kind = chat.kind;
  switch (kind) {
    case 'room':
      return `/api/v2/chats/rooms/${enc(chat.jid)}`;
    case 'oneOnOne':
      return `/api/v2/chats/users/${enc(chat.id)}`;
    case 'customer':
      // A customer conversation is not a Collaborate chat: its REST lives under the messaging API.
      throw new GenesysError(
        'http',
        'A customer conversation has no chat path (use the messaging actions).',
        400,
        'bad.request',
      );
    default: {
      const unknown: never = kind;
      throw new GenesysError('http', `Not a chat kind: ${JSON.stringify(unknown)}.`, 400, 'bad.request');
    }
  }
}
