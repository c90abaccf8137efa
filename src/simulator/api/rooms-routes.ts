// Room routes: create an adhoc room, get and patch a room, list/get/add/remove participants.
import type { ApiRoute } from '../context.ts';
import { noContent, ok, requireUserId } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http/errors.ts';
import { roomJson, userRef } from '../serialize.ts';
import { roomFor } from './chat-access.ts';
import { boolParam } from './query.ts';
import { createRoomSchema, parseWith, patchRoomSchema } from './schemas.ts';

const ROOM = '/api/v2/chats/rooms/:roomJid';

export const roomRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/v2/chats/rooms',
    body: 'json',
    handler: (r) => {
      const input = parseWith(createRoomSchema, r.body);
      const me = requireUserId(r.caller);
      const store = r.core.store;
      const unknown = (input.userIds ?? []).filter((id) => !store.user(id));
      if (unknown.length > 0) throw badRequest(`Unknown user ids: ${unknown.join(', ')}`, 'user.not.found');
      const room = store.createRoom({
        id: store.newId(),
        jidLocal: `adhoc-${store.newHex(24)}`,
        roomType: 'adhoc',
        name: input.subject,
        subject: input.subject,
        description: input.description ?? '',
        owners: [me],
        participants: [me, ...(input.userIds ?? [])],
        createdMs: store.clock.now(),
      });
      return ok({ jid: room.jid });
    },
  },
  { method: 'GET', path: ROOM, handler: (r) => ok(roomJson(roomFor(r))) },
  {
    method: 'PATCH',
    path: ROOM,
    body: 'json',
    handler: (r) => {
      const input = parseWith(patchRoomSchema, r.body);
      const room = roomFor(r);
      const me = requireUserId(r.caller);
      const store = r.core.store;
      if (input.ownerIds !== undefined) {
        if (!room.owners.includes(me))
          throw forbidden('Only room owners can change the owners.', 'chat.room.not.owner');
        const outsiders = input.ownerIds.filter((id) => !room.participants.has(id));
        if (outsiders.length > 0) {
          throw badRequest(
            `Owners must be participants of the room: ${outsiders.join(', ')}`,
            'chat.room.owner.invalid',
          );
        }
      }
      if (input.pinnedMessageIds !== undefined) store.setPins(room, input.pinnedMessageIds);
      if (input.ownerIds !== undefined) room.owners = [...new Set(input.ownerIds)];
      if (input.subject !== undefined) {
        room.subject = input.subject;
        if (room.roomType === 'adhoc') room.name = input.subject;
      }
      if (input.description !== undefined) room.description = input.description;
      return noContent();
    },
  },
  {
    method: 'GET',
    path: `${ROOM}/participants`,
    handler: (r) => {
      boolParam(r.query, 'notify');
      const room = roomFor(r);
      const participants = [...room.participants].map((id) => ({
        jid: r.core.store.user(id)?.jid ?? '',
        user: userRef(id),
      }));
      return ok({ participants });
    },
  },
  {
    method: 'GET',
    path: `${ROOM}/participants/:participantJid`,
    handler: (r) => {
      const room = roomFor(r);
      const ref = r.params.participantJid as string;
      const user = r.core.store.findUser(ref);
      if (!user || !room.participants.has(user.id)) {
        throw notFound(`Participant '${ref}' was not found in this room.`, 'chat.participant.not.found');
      }
      return ok({ participantJid: user.jid });
    },
  },
  {
    method: 'POST',
    path: `${ROOM}/participants/:userId`,
    handler: (r) => {
      const me = requireUserId(r.caller);
      const store = r.core.store;
      const jid = r.params.roomJid as string;
      const room = store.roomByJid(jid);
      if (!room) throw notFound(`Room '${jid}' was not found.`, 'chat.room.not.found');
      const user = store.requireUser(r.params.userId as string);
      // Joining yourself is allowed for any room; adding someone else needs you to be in the room.
      if (user.id !== me && !room.participants.has(me)) {
        throw forbidden(`You are not a participant of room '${jid}'.`, 'chat.room.not.participant');
      }
      store.addParticipant(room, user.id);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: `${ROOM}/participants/:userId`,
    handler: (r) => {
      const room = roomFor(r);
      const me = requireUserId(r.caller);
      const userId = r.params.userId as string;
      r.core.store.requireUser(userId);
      if (userId !== me && !room.owners.includes(me)) {
        throw forbidden('Only room owners can remove other participants.', 'chat.room.not.owner');
      }
      if (!r.core.store.removeParticipant(room, userId)) {
        throw notFound(`User '${userId}' is not a participant of this room.`, 'chat.participant.not.found');
      }
      return noContent();
    },
  },
];
