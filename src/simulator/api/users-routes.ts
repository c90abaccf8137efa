// User routes: the signed-in user, other users, the user list, the chat roster, and sign-out.
import type { ApiRequest, ApiRoute } from '../context.ts';
import { noContent, ok, requireUserId } from '../context.ts';
import { badRequest } from '../http/errors.ts';
import type { ChatRecord, UserRecord } from '../model.ts';
import { chatItemJson, userJson } from '../serialize.ts';
import { boolParam, intParam, listParam } from './query.ts';

interface Cursor {
  ms: number;
  key: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.ms}|${cursor.key}`, 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const ms = Number(text.slice(0, bar));
  if (bar < 1 || !Number.isInteger(ms) || text.length - bar < 2) {
    throw badRequest(`Invalid 'after' cursor '${value.slice(0, 60)}'.`, 'invalid.cursor');
  }
  return { ms, key: text.slice(bar + 1) };
}

const sortMs = (chat: ChatRecord): number => chat.lastMessageMs ?? -1;

/** Newest `dateLastMessage` first; chats without messages last; ties by key. */
function compareChats(a: Cursor, b: Cursor): number {
  if (a.ms !== b.ms) return b.ms - a.ms;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function roster(r: ApiRequest) {
  const me = requireUserId(r.caller);
  const excludeClosed = boolParam(r.query, 'excludeClosed') ?? false;
  const includePresence = boolParam(r.query, 'includePresence') ?? false;
  const includeRoomOwners = boolParam(r.query, 'includeRoomOwners') ?? false;
  const after = r.query.get('after');
  const cursor = after ? decodeCursor(after) : undefined;
  const store = r.core.store;
  let chats = store.chatsOf(me);
  if (excludeClosed) chats = chats.filter((c) => store.dateClosed(me, c) === undefined);
  let keyed = chats.map((chat) => ({ chat, ms: sortMs(chat), key: chat.key })).sort(compareChats);
  if (cursor) keyed = keyed.filter((k) => compareChats(k, cursor) > 0);
  const size = r.core.options.rosterPageSize;
  const page = keyed.slice(0, size);
  const base = '/api/v2/users/chats/me';
  const params = new URLSearchParams(r.query);
  const selfQuery = params.toString();
  const body: { entities: unknown[]; nextUri?: string; selfUri: string } = {
    entities: page.map(({ chat }) => chatItemJson(store, chat, me, { includePresence, includeRoomOwners })),
    selfUri: selfQuery ? `${base}?${selfQuery}` : base,
  };
  const last = page[page.length - 1];
  if (keyed.length > size && last) {
    params.set('after', encodeCursor({ ms: last.ms, key: last.key }));
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
