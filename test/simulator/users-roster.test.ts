// Users and the chat roster through the official SDK's UsersApi: shapes, ordering, paging, filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, loadSdk, rejection, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
let token: string;

beforeAll(async () => {
  sim = await startTestSimulator({ rosterPageSize: 4 });
  sdk = await loadSdk(sim);
  token = sim.control.actAs(sim.demoUser.id).accessToken;
  sdk.ApiClient.setAccessToken(token);
});
afterAll(() => sim.close());

async function wholeRoster(opts: Record<string, unknown> = {}) {
  const users = new sdk.UsersApi();
  const items = [];
  let after: string | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const page = await users.getUsersChatsMe({ ...opts, ...(after ? { after } : {}) });
    items.push(...(page.entities ?? []));
    if (!page.nextUri) break;
    after = new URL(page.nextUri, sim.url).searchParams.get('after') ?? undefined;
  }
  return items;
}

describe('users', () => {
  it('returns the signed-in user with chat.jabberId and selfUri', async () => {
    const me = await new sdk.UsersApi().getUsersMe();
    expect(me).toMatchObject({
      id: sim.demoUser.id,
      name: sim.demoUser.name,
      email: sim.demoUser.email,
      selfUri: `/api/v2/users/${sim.demoUser.id}`,
      state: 'active',
    });
    expect(me.chat?.jabberId).toBe(sim.users[0]?.jid);
    expect(me.title).toBeTruthy();
  });

  it('gets any user by id and 404s unknown ids', async () => {
    const colleague = sim.users[3];
    const user = await new sdk.UsersApi().getUser(colleague?.id ?? '');
    expect(user).toMatchObject({
      id: colleague?.id,
      name: colleague?.name,
      chat: { jabberId: colleague?.jid },
    });
    const err = await rejection(new sdk.UsersApi().getUser('00000000-0000-0000-0000-000000000000'));
    expect(err).toMatchObject({ status: 404, code: 'user.not.found' });
    expect(typeof err.message).toBe('string');
  });

  it('lists users with paging and jabberId filters', async () => {
    const page = await new sdk.UsersApi().getUsers({ pageSize: 5, pageNumber: 2 });
    expect(page.total).toBe(sim.users.length);
    expect(page.entities?.length).toBe(sim.users.length - 5);
    expect(page.pageCount).toBe(2);
    const byJid = await new sdk.UsersApi().getUsers({ jabberId: [sim.users[1]?.jid ?? ''] });
    expect(byJid.entities?.map((u) => u.id)).toEqual([sim.users[1]?.id]);
  });
});

describe('roster', () => {
  it('pages through all chats, newest dateLastMessage first, each exactly once', async () => {
    const items = await wholeRoster();
    const expected = sim.control.chats(sim.demoUser.id);
    expect(items.length).toBe(expected.length);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const dates = items.map((i) => Date.parse(i.dateLastMessage ?? '0'));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const rooms = items.filter((i) => i.room);
    const directs = items.filter((i) => i.user);
    expect(rooms.length).toBeGreaterThanOrEqual(5);
    expect(directs.length).toBeGreaterThanOrEqual(4);
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const item of rooms) {
      // The SDKs' ChatTypeEnum / RoomTypeEnum; the item's own id, never a jid; Room.id is the
      // group's id for a group room and the room's jid for an adhoc one.
      expect(item.chatType).toBe(item.room?.roomType);
      expect(['group', 'adhoc']).toContain(item.chatType);
      expect(item.id).toMatch(guid);
      expect(item.room?.jid).toMatch(/@conference\.demo\.genesys\.local$/);
      if (item.chatType === 'adhoc') expect(item.room?.id).toBe(item.room?.jid);
      else expect(item.room?.id).toMatch(guid);
      expect(item.room?.owners).toBeUndefined();
    }
    expect(new Set(rooms.map((i) => i.chatType))).toEqual(new Set(['group', 'adhoc']));
    for (const item of directs) {
      expect(item.chatType).toBe('oneOnOne');
      expect(item.id).toMatch(guid);
      expect(item.user?.jid).toMatch(/@demo\.genesys\.local$/);
      expect(item.user?.id).toBeTruthy();
      expect(item.user?.presence).toBeUndefined();
    }
  });

  it('adds presence and owners on request and hides closed chats with excludeClosed', async () => {
    const items = await wholeRoster({ includePresence: true, includeRoomOwners: true });
    expect(items.find((i) => i.user)?.user?.presence?.systemPresence).toBeTruthy();
    expect(items.find((i) => i.room)?.room?.owners?.length).toBeGreaterThan(0);
    const closed = items.filter((i) => !i.open);
    expect(closed.length).toBe(1);
    expect(closed[0]?.dateClosed).toBeTruthy();
    const open = await wholeRoster({ excludeClosed: true });
    expect(open.length).toBe(items.length - 1);
    expect(open.every((i) => i.open)).toBe(true);
  });

  it('moves a chat to the top and updates dateLastMessage on every new message', async () => {
    const before = await wholeRoster();
    const last = before.filter((i) => i.room).pop();
    expect(before[0]?.id).not.toBe(last?.id);
    const oldDate = Date.parse(last?.dateLastMessage ?? '0');
    const room = sim.control.chats(sim.demoUser.id).find((c) => c.jid === last?.room?.jid);
    const sender = room?.participants.find((p) => p !== sim.demoUser.id) ?? '';
    const posted = sim.control.post({ as: sender, room: room?.jid ?? '', body: 'fresh news' });
    const after = await wholeRoster();
    expect(after[0]?.id).toBe(last?.id);
    expect(after[0]?.dateLastMessage).toBe(posted.dateCreated);
    expect(Date.parse(after[0]?.dateLastMessage ?? '0')).toBeGreaterThan(oldDate);
    // A 1on1 message through the API moves that 1on1 to the top.
    const directItem = after.find((i) => i.user);
    const sent = await new sdk.ChatApi().postChatsUserMessages(directItem?.user?.id ?? '', {
      message: 'ping',
    });
    const again = await wholeRoster();
    expect(again[0]?.user?.id).toBe(directItem?.user?.id);
    const message = await new sdk.ChatApi().getChatsMessage(sent.id);
    expect(again[0]?.dateLastMessage).toBe(message.dateCreated);
  });

  it('orders the roster oldest first or shuffled when told, still paging through each chat once', async () => {
    const newestFirst = (await wholeRoster()).map((i) => i.id);
    try {
      sim.control.setVariants({ rosterOrder: 'oldest-first' });
      const oldestFirst = (await wholeRoster()).map((i) => i.id);
      expect(oldestFirst).toEqual([...newestFirst].reverse());
      sim.control.setVariants({ rosterOrder: 'shuffled' });
      const shuffled = (await wholeRoster()).map((i) => i.id);
      expect([...shuffled].sort()).toEqual([...newestFirst].sort());
      expect(shuffled).not.toEqual(newestFirst);
      expect(shuffled).not.toEqual(oldestFirst);
      expect((await wholeRoster()).map((i) => i.id)).toEqual(shuffled); // stable between reads
    } finally {
      sim.control.setVariants({ rosterOrder: 'newest-first' });
    }
  });

  it('rejects a malformed cursor and bad booleans with a 400', async () => {
    const bad = await call(sim, 'GET', '/api/v2/users/chats/me?after=%%%', { token });
    expect(bad.status).toBe(400);
    const cursor = await call(sim, 'GET', '/api/v2/users/chats/me?after=bm9wZQ', { token });
    expect(cursor.status).toBe(400);
    expect(cursor.json).toMatchObject({ status: 400, code: 'invalid.cursor' });
    const flag = await call(sim, 'GET', '/api/v2/users/chats/me?excludeClosed=maybe', { token });
    expect(flag.json).toMatchObject({ status: 400, code: 'bad.request' });
  });
});
