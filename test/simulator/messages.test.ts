// Room and 1on1 messages via the SDK: send, date paging, get by ids, edit, delete, threads, senders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, loadSdk, rejection, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
let chat: InstanceType<Sdk['ChatApi']>;
let token: string;
let engineering: string;

beforeAll(async () => {
  sim = await startTestSimulator({ historyPageLimit: 40 });
  sdk = await loadSdk(sim);
  token = sim.control.actAs(sim.demoUser.id).accessToken;
  sdk.ApiClient.setAccessToken(token);
  chat = new sdk.ChatApi();
  engineering = sim.control.chats().find((c) => c.name === 'Engineering')?.jid ?? '';
});
afterAll(() => sim.close());

const colleague = (): string =>
  sim.control
    .chats()
    .find((c) => c.jid === engineering)
    ?.participants.find((p) => p !== sim.demoUser.id) ?? '';

describe('room messages', () => {
  it('sends a message and reads it back in the Genesys shape', async () => {
    const sent = await chat.postChatsRoomMessages(engineering, {
      message: 'Deploy done',
      mentions: [colleague()],
    });
    expect(sent.id).toBeTruthy();
    const message = await chat.getChatsMessage(sent.id);
    const me = sim.users.find((u) => u.id === sim.demoUser.id);
    expect(message).toMatchObject({
      id: sent.id,
      body: 'Deploy done',
      toJid: engineering,
      jid: me?.jid,
      user: { id: sim.demoUser.id, selfUri: `/api/v2/users/${sim.demoUser.id}` },
      thread: { id: sent.id },
    });
    expect(message.parentThread).toBeUndefined();
    expect(message.edited).toBeUndefined();
    expect(message.mentions).toEqual({ [colleague()]: sim.users.find((u) => u.id === colleague())?.jid });
    expect(Number.isNaN(Date.parse(message.dateCreated))).toBe(false);
    const history = await chat.getChatsRoomMessages(engineering, { limit: '1' });
    expect(history.entities?.[0]?.id).toBe(sent.id);
  });

  it('pages backwards with before and forwards with after, exactly once each', async () => {
    const total = sim.control.chats().find((c) => c.jid === engineering)?.messageCount ?? 0;
    expect(total).toBeGreaterThan(50);
    const backwards: string[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await chat.getChatsRoomMessages(engineering, {
        limit: '10',
        ...(before ? { before } : {}),
      });
      const entities = page.entities ?? [];
      if (entities.length === 0) break;
      const dates = entities.map((m) => Date.parse(m.dateCreated));
      expect([...dates].sort((a, b) => a - b)).toEqual(dates);
      backwards.unshift(...entities.map((m) => m.id));
      before = entities[0]?.dateCreated;
    }
    expect(backwards.length).toBe(total);
    expect(new Set(backwards).size).toBe(total);
    const forwards: string[] = [];
    let after = '0';
    for (let guard = 0; guard < 50; guard++) {
      const page = await chat.getChatsRoomMessages(engineering, { limit: '7', after });
      const entities = page.entities ?? [];
      if (entities.length === 0) break;
      forwards.push(...entities.map((m) => m.id));
      after = String(Date.parse(entities[entities.length - 1]?.dateCreated ?? '0'));
    }
    expect(forwards).toEqual(backwards);
  });

  it('uses a default page of 25, caps limit at historyPageLimit and validates parameters', async () => {
    expect((await chat.getChatsRoomMessages(engineering)).entities?.length).toBe(25);
    expect((await chat.getChatsRoomMessages(engineering, { limit: '1000' })).entities?.length).toBe(40);
    for (const query of [
      'limit=0',
      'limit=abc',
      'before=yesterday-ish',
      'after=2024-13-45T99:00:00Z',
      'excludeMetadata=1',
    ]) {
      const res = await call(sim, 'GET', `/api/v2/chats/rooms/${engineering}/messages?${query}`, { token });
      expect(res.status, query).toBe(400);
      expect(res.json).toMatchObject({ status: 400, code: 'bad.request' });
    }
    const iso = await chat.getChatsRoomMessages(engineering, {
      before: new Date().toISOString(),
      limit: '3',
    });
    expect(iso.entities?.length).toBe(3);
    const lean = await chat.getChatsRoomMessages(engineering, { limit: '40', excludeMetadata: true });
    expect(lean.entities?.every((m) => m.reactions === undefined && m.mentions === undefined)).toBe(true);
  });

  it('gets messages by comma-separated ids, only from that room', async () => {
    const page = await chat.getChatsRoomMessages(engineering, { limit: '3' });
    const ids = (page.entities ?? []).map((m) => m.id);
    const got = await chat.getChatsRoomMessage(engineering, ids.join(','));
    expect(got.entities?.map((m) => m.id)).toEqual(ids);
    const support = sim.control.chats().find((c) => c.name === 'Support Team')?.jid ?? '';
    const other = await chat.getChatsRoomMessage(support, ids.join(','));
    expect(other.entities).toEqual([]);
  });

  it('lets only the sender edit or delete', async () => {
    const { id } = await chat.postChatsRoomMessages(engineering, { message: 'typo heer' });
    const edited = await chat.patchChatsRoomMessage(engineering, id, { message: 'typo here' });
    expect(edited.id).toBe(id);
    const message = await chat.getChatsMessage(id);
    expect(message).toMatchObject({ body: 'typo here', edited: true });
    expect(Date.parse(message.dateModified ?? '')).toBeGreaterThanOrEqual(Date.parse(message.dateCreated));

    const theirs = sim.control.post({ as: colleague(), room: engineering, body: 'mine, not yours' });
    expect(
      await rejection(chat.patchChatsRoomMessage(engineering, theirs.id, { message: 'hijack' })),
    ).toMatchObject({
      status: 403,
      code: 'chat.message.not.sender',
    });
    expect(await rejection(chat.deleteChatsRoomMessage(engineering, theirs.id))).toMatchObject({
      status: 403,
    });

    await chat.deleteChatsRoomMessage(engineering, id);
    expect(await rejection(chat.getChatsMessage(id))).toMatchObject({ status: 404 });
    const history = await chat.getChatsRoomMessages(engineering, { limit: '40' });
    expect(history.entities?.some((m) => m.id === id)).toBe(false);
    expect(await rejection(chat.deleteChatsRoomMessage(engineering, id))).toMatchObject({ status: 404 });
  });

  it('threads replies under their root', async () => {
    const root = await chat.postChatsRoomMessages(engineering, { message: 'Root question?' });
    const reply1 = sim.control.post({
      as: colleague(),
      room: engineering,
      body: 'Answer 1',
      threadId: root.id,
    });
    const reply2 = await chat.postChatsRoomMessages(engineering, {
      message: 'Answer 2',
      threadId: reply1.id,
    });
    const reply = await chat.getChatsMessage(reply2.id);
    expect(reply.thread).toEqual({ id: root.id });
    expect(reply.parentThread).toEqual({ id: root.id });
    const thread = await chat.getChatsThreadMessages(root.id);
    expect(thread.entities?.map((m) => m.id)).toEqual([root.id, reply1.id, reply2.id]);
    expect((await chat.getChatsThreadMessages(root.id, { limit: '2' })).entities?.map((m) => m.id)).toEqual([
      reply1.id,
      reply2.id,
    ]);
    expect(await rejection(chat.getChatsThreadMessages('no-such-thread'))).toMatchObject({ status: 404 });
    const support = sim.control.chats().find((c) => c.name === 'Support Team')?.jid ?? '';
    expect(
      await rejection(chat.postChatsRoomMessages(support, { message: 'x', threadId: root.id })),
    ).toMatchObject({
      status: 400,
    });
  });

  it('keeps dateCreated strictly increasing across rapid sends', async () => {
    const ids = [];
    for (let i = 0; i < 15; i++)
      ids.push((await chat.postChatsRoomMessages(engineering, { message: `burst ${i}` })).id);
    const got = await chat.getChatsRoomMessage(engineering, ids.join(','));
    const dates = (got.entities ?? []).map((m) => Date.parse(m.dateCreated));
    for (let i = 1; i < dates.length; i++) expect(dates[i]).toBeGreaterThan(dates[i - 1] as number);
  });
});

describe('1on1 messages', () => {
  const other = (): string => sim.users[5]?.id ?? '';

  it('sends, reads, edits and deletes in a 1on1', async () => {
    const sent = await chat.postChatsUserMessages(other(), { message: 'Hi there' });
    const message = await chat.getChatsMessage(sent.id);
    expect(message).toMatchObject({
      toJid: sim.users[5]?.jid,
      toUser: { id: other() },
      user: { id: sim.demoUser.id },
      thread: { id: sent.id },
    });
    const history = await chat.getChatsUserMessages(other(), { limit: '5' });
    expect((history as { entities?: { id: string }[] }).entities?.pop()?.id).toBe(sent.id);
    const byIds = await chat.getChatsUserMessage(other(), sent.id);
    expect(byIds.entities?.[0]?.body).toBe('Hi there');
    await chat.patchChatsUserMessage(other(), sent.id, { message: 'Hi there!' });
    expect((await chat.getChatsMessage(sent.id)).edited).toBe(true);
    await chat.deleteChatsUserMessage(other(), sent.id);
    expect((await chat.getChatsUserMessage(other(), 'nope')).entities).toEqual([]);
    expect((await chat.getChatsUserMessage(other(), sent.id)).entities).toEqual([]);
  });

  it('refuses a 1on1 with yourself and 404s unknown users', async () => {
    expect(await rejection(chat.postChatsUserMessages(sim.demoUser.id, { message: 'me' }))).toMatchObject({
      status: 400,
      code: 'chat.oneonone.self',
    });
    expect(await rejection(chat.getChatsUserMessages('ghost'))).toMatchObject({ status: 404 });
    expect(await rejection(chat.getChatsUser(sim.demoUser.id))).toMatchObject({ status: 400 });
  });

  it('returns an empty history for a 1on1 that never started', async () => {
    const stranger = sim.users.find(
      (u) =>
        !sim.control
          .chats(sim.demoUser.id)
          .some((c) => c.kind === 'oneonone' && c.participants.includes(u.id)) && u.id !== sim.demoUser.id,
    );
    const history = (await chat.getChatsUserMessages(stranger?.id ?? '')) as { entities?: unknown[] };
    expect(history.entities).toEqual([]);
    expect(await chat.getChatsUser(stranger?.id ?? '')).toEqual({ pinnedMessages: [] });
  });

  it('does not let a third user touch a 1on1 message', async () => {
    const sent = await chat.postChatsUserMessages(other(), { message: 'private' });
    const outsider = sim.control.actAs(sim.users[7]?.id ?? '').accessToken;
    const res = await call(sim, 'GET', `/api/v2/chats/messages/${sent.id}`, { token: outsider });
    expect(res.status).toBe(403);
    const viaPath = await call(sim, 'PATCH', `/api/v2/chats/users/${other()}/messages/${sent.id}`, {
      token: outsider,
      body: { message: 'x' },
    });
    expect(viaPath.status).toBe(404);
  });
});
