// Rooms through the official SDK's ChatApi: create, get, patch, participants and membership rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, loadSdk, rejection, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
let chat: InstanceType<Sdk['ChatApi']>;
const byName = (name: string) => sim.control.chats().find((c) => c.name === name);
const userId = (n: number): string => sim.users[n]?.id ?? '';

beforeAll(async () => {
  sim = await startTestSimulator();
  sdk = await loadSdk(sim);
  sdk.ApiClient.setAccessToken(sim.control.actAs(sim.demoUser.id).accessToken);
  chat = new sdk.ChatApi();
});
afterAll(() => sim.close());

describe('rooms', () => {
  it('creates an adhoc room and reads it back', async () => {
    const created = await chat.postChatsRooms({
      subject: 'Incident review',
      description: 'Friday',
      userIds: [userId(1), userId(2)],
    });
    expect(created.jid).toMatch(/^adhoc-[0-9a-f]+@conference\.demo\.genesys\.local$/);
    const room = await chat.getChatsRoom(created.jid);
    expect(room).toMatchObject({
      jid: created.jid,
      name: 'Incident review',
      subject: 'Incident review',
      description: 'Friday',
      roomType: 'adhoc',
      pinnedMessages: [],
      owners: [{ id: sim.demoUser.id }],
    });
    const participants = await chat.getChatsRoomParticipants(created.jid);
    expect(participants.participants?.map((p) => p.user?.id).sort()).toEqual(
      [sim.demoUser.id, userId(1), userId(2)].sort(),
    );
    const roster = await new sdk.UsersApi().getUsersChatsMe();
    expect(roster.entities?.some((i) => i.room?.jid === created.jid)).toBe(true);
  });

  it('gets a group room with owners and pins', async () => {
    const support = byName('Support Team');
    const room = await chat.getChatsRoom(support?.jid ?? '');
    expect(room.roomType).toBe('group');
    expect(room.pinnedMessages?.length).toBe(support?.pinnedMessageIds.length);
    expect(room.owners?.length).toBeGreaterThan(0);
  });

  it('patches subject and description; owners only by an owner and only participants', async () => {
    const { jid } = await chat.postChatsRooms({ subject: 'Temp', userIds: [userId(1)] });
    await chat.patchChatsRoom(jid, { subject: 'Renamed', description: 'New text' });
    expect(await chat.getChatsRoom(jid)).toMatchObject({
      subject: 'Renamed',
      name: 'Renamed',
      description: 'New text',
    });
    const notParticipant = await rejection(chat.patchChatsRoom(jid, { ownerIds: [userId(5)] }));
    expect(notParticipant).toMatchObject({ status: 400 });
    await chat.patchChatsRoom(jid, { ownerIds: [userId(1)] });
    const notOwner = await rejection(chat.patchChatsRoom(jid, { ownerIds: [sim.demoUser.id] }));
    expect(notOwner).toMatchObject({ status: 403, code: 'chat.room.not.owner' });
    expect(await rejection(chat.patchChatsRoom(jid, { subject: '' }))).toMatchObject({ status: 400 });
  });

  it('gets, adds and removes participants', async () => {
    const { jid } = await chat.postChatsRooms({ subject: 'Participants', userIds: [userId(1)] });
    const participant = await chat.getChatsRoomParticipant(jid, sim.users[1]?.jid ?? '');
    expect(participant.participantJid).toBe(sim.users[1]?.jid);
    expect(await rejection(chat.getChatsRoomParticipant(jid, sim.users[4]?.jid ?? ''))).toMatchObject({
      status: 404,
    });
    await chat.postChatsRoomParticipant(jid, userId(4));
    expect((await chat.getChatsRoomParticipant(jid, sim.users[4]?.jid ?? '')).participantJid).toBe(
      sim.users[4]?.jid,
    );
    await chat.deleteChatsRoomParticipant(jid, userId(4));
    expect(await rejection(chat.deleteChatsRoomParticipant(jid, userId(4)))).toMatchObject({ status: 404 });
    expect(await rejection(chat.postChatsRoomParticipant(jid, 'no-such-user'))).toMatchObject({
      status: 404,
    });
    // A non-owner cannot remove someone else, but can leave.
    const asColleague = sim.control.actAs(userId(1)).accessToken;
    const removeOther = await call(
      sim,
      'DELETE',
      `/api/v2/chats/rooms/${jid}/participants/${sim.demoUser.id}`,
      {
        token: asColleague,
      },
    );
    expect(removeOther.status).toBe(403);
    const leave = await call(sim, 'DELETE', `/api/v2/chats/rooms/${jid}/participants/${userId(1)}`, {
      token: asColleague,
    });
    expect(leave.status).toBe(204);
    expect((await call(sim, 'GET', `/api/v2/chats/rooms/${jid}`, { token: asColleague })).status).toBe(403);
  });

  it('keeps non-participants out of a room (403) and 404s unknown rooms', async () => {
    const sales = byName('Sales Leadership');
    expect(sales?.participants).not.toContain(sim.demoUser.id);
    const jid = sales?.jid ?? '';
    expect(await rejection(chat.getChatsRoom(jid))).toMatchObject({
      status: 403,
      code: 'chat.room.not.participant',
    });
    expect(await rejection(chat.getChatsRoomMessages(jid))).toMatchObject({ status: 403 });
    expect(await rejection(chat.postChatsRoomMessages(jid, { message: 'hi' }))).toMatchObject({
      status: 403,
    });
    expect(await rejection(chat.getChatsRoomParticipants(jid))).toMatchObject({ status: 403 });
    expect(await rejection(chat.getChatsRoom('nope@conference.demo.genesys.local'))).toMatchObject({
      status: 404,
      code: 'chat.room.not.found',
    });
    // Joining yourself works (POST participant), after which the room is readable.
    await chat.postChatsRoomParticipant(jid, sim.demoUser.id);
    expect((await chat.getChatsRoom(jid)).jid).toBe(jid);
  });

  it('validates room creation bodies', async () => {
    expect(await rejection(chat.postChatsRooms({} as never))).toMatchObject({
      status: 400,
      code: 'invalid.request.body',
    });
    expect(await rejection(chat.postChatsRooms({ subject: 'x', userIds: ['ghost'] }))).toMatchObject({
      status: 400,
    });
  });
});
