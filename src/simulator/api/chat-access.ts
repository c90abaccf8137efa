// Resolving the chat a request addresses (room by jid, 1on1 by user id) and enforcing membership.
import type { ApiRequest } from '../context.ts';
import { requireUserId } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http/errors.ts';
import type { ChatRecord, DirectRecord, MessageRecord, RoomRecord } from '../model.ts';
import { parseDateParam, parseLimit } from '../history.ts';
import type { HistoryQuery } from '../history.ts';
import { boolParam } from './query.ts';

/**
 * The room named by the `roomJid` path parameter (a jid, as in the SDK). Users must be participants
 * (403 otherwise); a client-credentials token may read any room.
 */
export function roomFor(r: ApiRequest): RoomRecord {
  const jid = r.params.roomJid as string;
  const room = r.core.store.roomByJid(jid);
  if (!room) throw notFound(`Room '${jid}' was not found.`, 'chat.room.not.found');
  if (r.caller.userId !== null && !room.participants.has(r.caller.userId)) {
    throw forbidden(`You are not a participant of room '${jid}'.`, 'chat.room.not.participant');
  }
  return room;
}

/** The caller's 1on1 with the `userId` path parameter; undefined when it has not started (reads). */
export function directFor(r: ApiRequest, create: boolean): DirectRecord | undefined {
  const me = requireUserId(r.caller);
  const otherId = r.params.userId as string;
  r.core.store.requireUser(otherId);
  if (otherId === me) throw badRequest('A 1on1 chat with yourself is not possible.', 'chat.oneonone.self');
  return create ? r.core.store.ensureDirect(me, otherId) : r.core.store.direct(me, otherId);
}

/** A live message that belongs to `chat` (404 otherwise). */
export function messageIn(r: ApiRequest, chat: ChatRecord | undefined, id: string): MessageRecord {
  const message = r.core.store.message(id);
  if (!message || message.chat !== chat) {
    throw notFound(`Message '${id}' was not found in this chat.`, 'chat.message.not.found');
  }
  return message;
}

/** A live message the caller may see (member of its chat, or a client-credentials token). */
export function visibleMessage(r: ApiRequest, id: string): MessageRecord {
  const message = r.core.store.requireMessage(id);
  if (r.caller.userId !== null && !r.core.store.isMember(message.chat, r.caller.userId)) {
    throw forbidden(`You are not a participant of the chat of message '${id}'.`, 'chat.not.participant');
  }
  return message;
}

export function historyQuery(r: ApiRequest): HistoryQuery & { excludeMetadata: boolean } {
  const { historyDefaultLimit, historyPageLimit } = r.core.options;
  return {
    limit: parseLimit(r.query.get('limit'), historyDefaultLimit, historyPageLimit),
    beforeMs: parseDateParam('before', r.query.get('before')),
    afterMs: parseDateParam('after', r.query.get('after')),
    excludeMetadata: boolParam(r.query, 'excludeMetadata') ?? false,
  };
}
