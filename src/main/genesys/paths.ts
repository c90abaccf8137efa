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

/** A chat's API path: rooms by jid, 1on1s by the other user's id. */
export function chatPath(chat: ChatRef): string {
  return chat.kind === 'room'
    ? `/api/v2/chats/rooms/${enc(chat.jid)}`
    : `/api/v2/chats/users/${enc(chat.id)}`;
}
