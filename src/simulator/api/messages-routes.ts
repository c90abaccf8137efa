// Message routes: room and 1on1 history, get, send, edit, delete and pins; reactions and threads.
import type { ApiRequest, ApiResponse, ApiRoute } from '../context.ts';
import { noContent, ok, requireUserId } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http/errors.ts';
import { pageMessages } from '../history.ts';
import { orderPage, reactionsAfterPut } from '../variants.ts';
import type { ChatRecord, MessageRecord } from '../model.ts';
import { messageJson, messageUri } from '../serialize.ts';
import { directFor, historyQuery, messageIn, roomFor, visibleMessage } from './chat-access.ts';
import { pinsSchema, parseWith, reactionsSchema, sendMessageSchema } from './schemas.ts';

type Resolve = (r: ApiRequest, mode: 'read' | 'write') => ChatRecord | undefined;

const resolveRoom: Resolve = (r, mode) => {
  const room = roomFor(r);
  if (mode === 'write') requireUserId(r.caller);
  return room;
};

const resolveDirect: Resolve = (r, mode) => directFor(r, mode === 'write');

function listing(r: ApiRequest, messages: MessageRecord[], excludeMetadata: boolean): ApiResponse {
  return ok({ entities: messages.map((m) => messageJson(r.core.store, m, excludeMetadata)) });
}

/**
 * A history page, in the order `variants.historyOrder` says. A 1on1's history takes the shape
 * `variants.oneOnOneHistory` says: a listing, a bare array, or one message (the page's first, or
 * `{}` when there is none), as every SDK declares it.
 */
function history(resolve: Resolve, kind: 'room' | 'direct') {
  return (r: ApiRequest): ApiResponse => {
    const query = historyQuery(r);
    const chat = resolve(r, 'read');
    const { variants } = r.core.options;
    const single = kind === 'direct' && variants.oneOnOneHistory === 'single';
    const page = chat ? pageMessages(chat.messages, single ? { ...query, limit: 1 } : query, variants) : [];
    const ordered = orderPage(page, variants.historyOrder, r.core.options.seed);
    const json = ordered.map((m) => messageJson(r.core.store, m, query.excludeMetadata));
    if (kind === 'direct' && variants.oneOnOneHistory === 'array') return ok(json);
    if (single) return ok(json[0] ?? {});
    return ok({ entities: json });
  };
}

function byIds(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const chat = resolve(r, 'read');
    const ids = [...new Set((r.params.messageIds as string).split(',').map((s) => s.trim()))].filter(Boolean);
    if (ids.length === 0) throw badRequest('No message ids given.');
    if (ids.length > 100) throw badRequest('At most 100 message ids can be requested at once.');
    const found: MessageRecord[] = [];
    for (const id of ids) {
      const message = r.core.store.message(id);
      if (message && message.chat === chat) found.push(message);
    }
    found.sort((a, b) => a.dateMs - b.dateMs);
    return listing(r, found, false);
  };
}

function send(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const input = parseWith(sendMessageSchema, r.body);
    const chat = resolve(r, 'write') as ChatRecord;
    const message = r.core.store.postMessage(chat, requireUserId(r.caller), {
      body: input.message,
      mentions: input.mentions,
      threadId: input.threadId,
    });
    return ok({ id: message.id });
  };
}

/** Edit: the body and mentions are replaced; `threadId` cannot move a message and is ignored. */
function edit(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const input = parseWith(sendMessageSchema, r.body);
    const chat = resolve(r, 'write');
    const message = messageIn(r, chat, r.params.messageId as string);
    r.core.store.editMessage(message, requireUserId(r.caller), {
      body: input.message,
      mentions: input.mentions,
    });
    return ok({ id: message.id });
  };
}

function remove(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const chat = resolve(r, 'write');
    const message = messageIn(r, chat, r.params.messageId as string);
    r.core.store.deleteMessage(message, requireUserId(r.caller));
    return noContent();
  };
}

function addPins(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const input = parseWith(pinsSchema, r.body);
    const chat = resolve(r, 'write') as ChatRecord;
    r.core.store.pin(chat, input.pinnedMessageIds);
    return noContent();
  };
}

function removePin(resolve: Resolve) {
  return (r: ApiRequest): ApiResponse => {
    const chat = resolve(r, 'write') as ChatRecord;
    r.core.store.unpin(chat, r.params.pinnedMessageId as string);
    return noContent();
  };
}

/** The message routes of one chat kind, under `prefix` (literal routes before parameter routes). */
function chatMessageRoutes(prefix: string, resolve: Resolve, kind: 'room' | 'direct'): ApiRoute[] {
  return [
    { method: 'GET', path: `${prefix}/messages`, handler: history(resolve, kind) },
    { method: 'POST', path: `${prefix}/messages`, body: 'json', handler: send(resolve) },
    // Current pin paths (SDK v262) ...
    { method: 'POST', path: `${prefix}/messages/pins`, body: 'json', handler: addPins(resolve) },
    { method: 'DELETE', path: `${prefix}/messages/pins/:pinnedMessageId`, handler: removePin(resolve) },
    // ... and the legacy ones from the older documents.
    { method: 'POST', path: `${prefix}/pinnedmessages`, body: 'json', handler: addPins(resolve) },
    { method: 'DELETE', path: `${prefix}/pinnedmessages/:pinnedMessageId`, handler: removePin(resolve) },
    { method: 'GET', path: `${prefix}/messages/:messageIds`, handler: byIds(resolve) },
    { method: 'PATCH', path: `${prefix}/messages/:messageId`, body: 'json', handler: edit(resolve) },
    { method: 'DELETE', path: `${prefix}/messages/:messageId`, handler: remove(resolve) },
  ];
}

export const messageRoutes: ApiRoute[] = [
  ...chatMessageRoutes('/api/v2/chats/rooms/:roomJid', resolveRoom, 'room'),
  ...chatMessageRoutes('/api/v2/chats/users/:userId', resolveDirect, 'direct'),
  {
    // OneOnOne: the pins of the caller's 1on1 with this user (empty before the chat starts).
    method: 'GET',
    path: '/api/v2/chats/users/:userId',
    handler: (r) => {
      const chat = directFor(r, false);
      return ok({ pinnedMessages: (chat?.pins ?? []).map((id) => ({ id, selfUri: messageUri(id) })) });
    },
  },
  {
    method: 'GET',
    path: '/api/v2/chats/messages/:messageId',
    handler: (r) => ok(messageJson(r.core.store, visibleMessage(r, r.params.messageId as string))),
  },
  {
    method: 'PUT',
    path: '/api/v2/chats/messages/:messageId/reactions',
    body: 'json',
    handler: (r) => {
      const input = parseWith(reactionsSchema, r.body);
      const userId = requireUserId(r.caller);
      if (!r.core.store.orgSettings.reactionsEnabled) {
        throw badRequest('Reactions are disabled for this organization.', 'chat.reactions.disabled');
      }
      const message = visibleMessage(r, r.params.messageId as string);
      const mine = [...(message.reactions ?? [])].flatMap(([emoji, users]) =>
        users.includes(userId) ? [emoji] : [],
      );
      const next = reactionsAfterPut(mine, input.reactions, r.core.options.variants.reactionsPut);
      r.core.store.setReactions(message, userId, next);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/api/v2/chats/threads/:threadId/messages',
    handler: (r) => {
      const query = historyQuery(r);
      const id = r.params.threadId as string;
      const target = r.core.store.anyMessage(id);
      const root = target ? r.core.store.anyMessage(target.threadId) : undefined;
      if (!root) throw notFound(`Thread '${id}' was not found.`, 'chat.thread.not.found');
      if (r.caller.userId !== null && !r.core.store.isMember(root.chat, r.caller.userId)) {
        throw forbidden(`You are not a participant of the chat of thread '${id}'.`, 'chat.not.participant');
      }
      const { variants, seed } = r.core.options;
      const page = pageMessages([root, ...(root.replies ?? [])], query, variants);
      return listing(r, orderPage(page, variants.historyOrder, seed), query.excludeMetadata);
    },
  },
];
