// User routes: the signed-in user, other users, the user list, the chat roster, and sign-out.
import type { ApiRequest, ApiRoute } from '../context.ts';
import { noContent, ok, requireUserId } from '../context.ts';
import { badRequest } from '../http/errors.ts';
import type { ChatRecord, UserRecord } from '../model.ts';
import { shuffleRank, type WireVariants } from '../variants.ts';
import { chatItemJson, userJson } from '../serialize.ts';
import { boolParam, intParam, listParam } from './query.ts';

/**
 * A chat's place in the roster as a string that sorts in roster order: newest `dateLastMessage`
 * first (chats without messages last) by default; oldest first, or a seeded shuffle, as the
 * `rosterOrder` variant says. Ties by chat key. The `after` cursor is the last item's place.
 */
function placeOf(chat: ChatRecord, order: WireVariants['rosterOrder'], seed: number): string {
  const ms = chat.lastMessageMs ?? -1;
  const stamp = String(order === 'oldest-first' ? ms + 1 : 9e15 - ms).padStart(16, '0');
  return `${order === 'shuffled' ? shuffleRank(seed, chat.key) : stamp}|${chat.key}`;
}

function decodeCursor(value: string): string {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{16}\|./.test(text) && !/^\d{16}\|./.test(text))
    throw badRequest(`Invalid 'after' cursor '${value.slice(0, 60)}'.`, 'invalid.cursor');
  return text;
}

function roster(r: ApiRequest) {
  const me = requireUserId(r.caller);
  const excludeClosed = boolParam(r.query, 'excludeClosed') ?? false;
  const includePresence = boolParam(r.query, 'includePresence') ?? false;
  const includeRoomOwners = boolParam(r.query, 'includeRoomOwners') ?? false;
  const after = r.query.get('after');
  const cursor = after ? decodeCursor(after) : undefined;
  const store = r.core.store;
  const { variants, seed, rosterPageSize: size } = r.core.options;
  let chats = store.chatsOf(me);
  if (excludeClosed) chats = chats.filter((c) => store.dateClosed(me, c) === undefined);
  let placed = chats
    .map((chat) => ({ chat, place: placeOf(chat, variants.rosterOrder, seed) }))
    .sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
  if (cursor) placed = placed.filter((p) => p.place > cursor);
  const page = placed.slice(0, size);
  const base = '/api/v2/users/chats/me';
  const params = new URLSearchParams(r.query);
  const selfQuery = params.toString();
  const body: { entities: unknown[]; nextUri?: string; selfUri: string } = {
    entities: page.map(({ chat }) => chatItemJson(store, chat, me, { includePresence, includeRoomOwners })),
    selfUri: selfQuery ? `${base}?${selfQuery}` : base,
  };
  const last = page[page.length - 1];
  if (placed.length > size && last) {
    params.set('after', Buffer.from(last.place, 'utf8').toString('base64url'));
    body.nextUri = `${base}?${params.toString()}`;
  }
  return ok(body);
}

function userList(r: ApiRequest) {
  const pageSize = intParam(r.query, 'pageSize', 25, 1, 500);
  const pageNumber = intParam(r.query, 'pageNumber', 1, 1, 1_000_000);
  const ids = listParam(r.query, 'id');
  const jids = listParam(r.query, 'jabberId');
  const sortOrder = (r.query.get('sortOrder') ?? 'ASC').toUpperCase();
  if (sortOrder !== 'ASC' && sortOrder !== 'DESC') throw badRequest(`Invalid 'sortOrder': use ASC or DESC.`);
  let users: UserRecord[] = [...r.core.store.users.values()];
  if (ids.length > 0) users = users.filter((u) => ids.includes(u.id));
  if (jids.length > 0) users = users.filter((u) => jids.includes(u.jid));
  users.sort((a, b) => a.name.localeCompare(b.name) * (sortOrder === 'DESC' ? -1 : 1));
  const total = users.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const uri = (n: number): string => `/api/v2/users?pageSize=${pageSize}&pageNumber=${n}`;
  const body: Record<string, unknown> = {
    entities: users.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(userJson),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(pageCount),
    selfUri: uri(pageNumber),
  };
  if (pageNumber < pageCount) body.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) body.previousUri = uri(Math.min(pageNumber - 1, pageCount));
  return ok(body);
}

export const userRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v2/users/me',
    handler: (r) => ok(userJson(r.core.store.requireUser(requireUserId(r.caller)))),
  },
  { method: 'GET', path: '/api/v2/users/chats/me', handler: roster },
  { method: 'GET', path: '/api/v2/users', handler: userList },
  {
    method: 'GET',
    path: '/api/v2/users/:userId',
    handler: (r) => ok(userJson(r.core.store.requireUser(r.params.userId as string))),
  },
  {
    method: 'DELETE',
    path: '/api/v2/tokens/me',
    handler: (r) => {
      r.core.tokens.revoke(r.caller.token.token);
      return noContent();
    },
  },
];
