// Reactions, pins (current and legacy paths, the 5-pin limit) and chat settings through the SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, loadSdk, rejection, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
let chat: InstanceType<Sdk['ChatApi']>;
let token: string;

beforeAll(async () => {
  sim = await startTestSimulator();
  sdk = await loadSdk(sim);
  token = sim.control.actAs(sim.demoUser.id).accessToken;
  sdk.ApiClient.setAccessToken(token);
  chat = new sdk.ChatApi();
});
afterAll(() => sim.close());

async function freshRoom(): Promise<{ jid: string; ids: string[] }> {
  const { jid } = await chat.postChatsRooms({ subject: 'Pins', userIds: [sim.users[1]?.id ?? ''] });
  const ids = [];
  for (let i = 0; i < 7; i++) ids.push((await chat.postChatsRoomMessages(jid, { message: `m${i}` })).id);
  return { jid, ids };
}

describe('reactions', () => {
  it("replaces the caller's reactions and shows them per emoji", async () => {
    const { jid, ids } = await freshRoom();
    const id = ids[0] ?? '';
    const colleague = sim.users[1]?.id ?? '';
    sim.control.react({ as: colleague, messageId: id, reactions: ['👍'] });
    await chat.putChatsMessageReactions(id, { reactions: ['👍', '🎉'] });
    let message = await chat.getChatsMessage(id);
    expect(message.reactions).toEqual([
      {
        emoji: '👍',
        users: [
          { id: colleague, selfUri: `/api/v2/users/${colleague}` },
          { id: sim.demoUser.id, selfUri: `/api/v2/users/${sim.demoUser.id}` },
        ],
      },
      { emoji: '🎉', users: [{ id: sim.demoUser.id, selfUri: `/api/v2/users/${sim.demoUser.id}` }] },
    ]);
    await chat.putChatsMessageReactions(id, { reactions: ['🎉'] });
    message = await chat.getChatsMessage(id);
    expect(message.reactions?.map((r) => [r.emoji, r.users.map((u) => u.id)])).toEqual([
      ['👍', [colleague]],
      ['🎉', [sim.demoUser.id]],
    ]);
    await chat.putChatsMessageReactions(id, { reactions: [] });
    message = await chat.getChatsMessage(id);
    expect(message.reactions).toEqual([
      { emoji: '👍', users: [{ id: colleague, selfUri: `/api/v2/users/${colleague}` }] },
    ]);
    expect(await rejection(chat.putChatsMessageReactions(id, { reactions: 'x' } as never))).toMatchObject({
      status: 400,
    });
    expect(await rejection(chat.putChatsMessageReactions('missing', { reactions: ['👍'] }))).toMatchObject({
      status: 404,
    });
    expect(jid).toBeTruthy();
  });

  it('refuses reactions while the org has them disabled', async () => {
    const { ids } = await freshRoom();
    const settings = await chat.patchChatsSettings({ reactionsEnabled: false });
    expect(settings.reactionsEnabled).toBe(false);
    expect(await rejection(chat.putChatsMessageReactions(ids[0] ?? '', { reactions: ['👍'] }))).toMatchObject(
      {
        status: 400,
        code: 'chat.reactions.disabled',
      },
    );
    await chat.patchChatsSettings({ reactionsEnabled: true });
    await chat.putChatsMessageReactions(ids[0] ?? '', { reactions: ['👍'] });
  });
});

describe('pins', () => {
  it('pins up to 5 in a room on the current path, refuses the 6th naming the limit, unpins', async () => {
    const { jid, ids } = await freshRoom();
    await chat.postChatsRoomMessagesPins(jid, { pinnedMessageIds: ids.slice(0, 3) });
    await chat.postChatsRoomMessagesPins(jid, {
      pinnedMessageIds: [ids[3] ?? '', ids[4] ?? '', ids[0] ?? ''],
    });
    expect((await chat.getChatsRoom(jid)).pinnedMessages?.map((p) => p.id)).toEqual(ids.slice(0, 5));
    const sixth = await rejection(chat.postChatsRoomMessagesPins(jid, { pinnedMessageIds: [ids[5] ?? ''] }));
    expect(sixth).toMatchObject({ status: 400, code: 'chat.pin.limit.exceeded' });
    expect(sixth.message).toContain('at most 5');
    await chat.deleteChatsRoomMessagesPin(jid, ids[1] ?? '');
    await chat.postChatsRoomMessagesPins(jid, { pinnedMessageIds: [ids[5] ?? ''] });
    const pins = (await chat.getChatsRoom(jid)).pinnedMessages?.map((p) => p.id);
    expect(pins).toEqual([ids[0], ids[2], ids[3], ids[4], ids[5]]);
    expect(await rejection(chat.deleteChatsRoomMessagesPin(jid, ids[6] ?? ''))).toMatchObject({
      status: 404,
    });
    expect(
      await rejection(chat.postChatsRoomMessagesPins(jid, { pinnedMessageIds: ['nope'] })),
    ).toMatchObject({
      status: 404,
    });
    expect(await rejection(chat.postChatsRoomMessagesPins(jid, { pinnedMessageIds: [] }))).toMatchObject({
      status: 400,
    });
  });

  it('accepts the legacy /pinnedmessages paths for rooms', async () => {
    const { jid, ids } = await freshRoom();
    const add = await call(sim, 'POST', `/api/v2/chats/rooms/${jid}/pinnedmessages`, {
      token,
      body: { pinnedMessageIds: ids.slice(0, 5) },
    });
    expect(add.status).toBe(204);
    const sixth = await call(sim, 'POST', `/api/v2/chats/rooms/${encodeURIComponent(jid)}/pinnedmessages`, {
      token,
      body: { pinnedMessageIds: [ids[6]] },
    });
    expect(sixth.status).toBe(400);
    expect(sixth.json.message).toContain('5');
    const del = await call(sim, 'DELETE', `/api/v2/chats/rooms/${jid}/pinnedmessages/${ids[0]}`, { token });
    expect(del.status).toBe(204);
    expect((await chat.getChatsRoom(jid)).pinnedMessages?.length).toBe(4);
  });

  it('replaces room pins with PATCH pinnedMessageIds, and deleting a message unpins it', async () => {
    const { jid, ids } = await freshRoom();
    await chat.patchChatsRoom(jid, { pinnedMessageIds: [ids[6] ?? '', ids[5] ?? ''] });
    expect((await chat.getChatsRoom(jid)).pinnedMessages?.map((p) => p.id)).toEqual([ids[6], ids[5]]);
    expect(await rejection(chat.patchChatsRoom(jid, { pinnedMessageIds: ids.slice(0, 6) }))).toMatchObject({
      status: 400,
    });
    await chat.deleteChatsRoomMessage(jid, ids[6] ?? '');
    expect((await chat.getChatsRoom(jid)).pinnedMessages?.map((p) => p.id)).toEqual([ids[5]]);
  });

  it('pins in a 1on1 on both paths and reads them from getChatsUser', async () => {
    const other = sim.users[6]?.id ?? '';
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await chat.postChatsUserMessages(other, { message: `d${i}` })).id);
    await chat.postChatsUserMessagesPins(other, { pinnedMessageIds: ids.slice(0, 3) });
    const legacy = await call(sim, 'POST', `/api/v2/chats/users/${other}/pinnedmessages`, {
      token,
      body: { pinnedMessageIds: ids.slice(3, 5) },
    });
    expect(legacy.status).toBe(204);
    expect((await chat.getChatsUser(other)).pinnedMessages?.map((p) => p.id)).toEqual(ids.slice(0, 5));
    expect(
      await rejection(chat.postChatsUserMessagesPins(other, { pinnedMessageIds: [ids[5] ?? ''] })),
    ).toMatchObject({
      status: 400,
      code: 'chat.pin.limit.exceeded',
    });
    await chat.deleteChatsUserMessagesPin(other, ids[0] ?? '');
    const legacyDelete = await call(sim, 'DELETE', `/api/v2/chats/users/${other}/pinnedmessages/${ids[1]}`, {
      token,
    });
    expect(legacyDelete.status).toBe(204);
    expect((await chat.getChatsUser(other)).pinnedMessages?.map((p) => p.id)).toEqual(ids.slice(2, 5));
    // A room message cannot be pinned in a 1on1.
    const { ids: roomIds } = await freshRoom();
    expect(
      await rejection(chat.postChatsUserMessagesPins(other, { pinnedMessageIds: [roomIds[0] ?? ''] })),
    ).toMatchObject({
      status: 400,
    });
  });
});

describe('settings', () => {
  it('reads, patches, posts and deletes personal settings', async () => {
    expect(await chat.getChatsUsersMeSettings()).toEqual({
      muted: false,
      mentionsOnly: false,
      notifyOnReactions: true,
      mobile: { notifications: { when: 'Always' } },
    });
    const patched = await chat.patchChatsUsersMeSettings({
      mentionsOnly: true,
      mobile: { notifications: { when: 'OnlyWhenInactive' } },
    });
    expect(patched).toMatchObject({
      mentionsOnly: true,
      muted: false,
      mobile: { notifications: { when: 'OnlyWhenInactive' } },
    });
    // A PATCH carries only what changes: without `mobile`, the user's mobile choice stays.
    expect(await chat.patchChatsUsersMeSettings({ muted: true } as never)).toEqual({
      muted: true,
      mentionsOnly: true,
      notifyOnReactions: true,
      mobile: { notifications: { when: 'OnlyWhenInactive' } },
    });
    expect(
      await rejection(chat.patchChatsUsersMeSettings({ mentionsOnly: true, bogus: 1 } as never)),
    ).toMatchObject({ status: 400, code: 'invalid.request.body' });
    expect(
      await rejection(chat.patchChatsUsersMeSettings({ mobile: { notifications: { when: 'Sometimes' } } })),
    ).toMatchObject({ status: 400 });
    await chat.postChatsUsersMeSettings({ muted: true });
    expect(await chat.getChatsUsersMeSettings()).toMatchObject({ muted: true, mentionsOnly: false });
    expect(await rejection(chat.postChatsUsersMeSettings({ mentionsOnly: true } as never))).toMatchObject({
      status: 400,
      code: 'invalid.request.body',
    });
    await chat.deleteChatsUsersMeSettings();
    expect(await chat.getChatsUsersMeSettings()).toMatchObject({ muted: false, mentionsOnly: false });
  });

  it("reads and patches a user's mobile settings, only your own", async () => {
    expect(await chat.getChatsUserSettings(sim.demoUser.id)).toEqual({
      mobile: { notifications: { when: 'Always' } },
    });
    const patched = await chat.patchChatsUserSettings(sim.demoUser.id, {
      mobile: { notifications: { when: 'OnlyWhenInactive' } },
    });
    expect(patched.mobile.notifications.when).toBe('OnlyWhenInactive');
    expect((await chat.getChatsUsersMeSettings()).mobile.notifications.when).toBe('OnlyWhenInactive');
    expect(await rejection(chat.getChatsUserSettings(sim.users[1]?.id ?? ''))).toMatchObject({ status: 403 });
    expect(await rejection(chat.getChatsUserSettings('ghost'))).toMatchObject({ status: 404 });
  });

  it('reads and updates org settings within range', async () => {
    expect(await chat.getChatsSettings()).toEqual({
      messageRetentionPeriodDays: 365,
      reactionsEnabled: true,
    });
    expect(await chat.patchChatsSettings({ messageRetentionPeriodDays: 30 })).toEqual({
      messageRetentionPeriodDays: 30,
      reactionsEnabled: true,
    });
    expect(await chat.putChatsSettings({ reactionsEnabled: false })).toEqual({
      messageRetentionPeriodDays: 365,
      reactionsEnabled: false,
    });
    await chat.putChatsSettings({ reactionsEnabled: true, messageRetentionPeriodDays: 3650 });
    for (const bad of [9, 3651, 12.5]) {
      expect(await rejection(chat.patchChatsSettings({ messageRetentionPeriodDays: bad }))).toMatchObject({
        status: 400,
      });
    }
    expect(await rejection(chat.putChatsSettings({ reactionsEnabled: 'yes' } as never))).toMatchObject({
      status: 400,
    });
  });
});
