// The app's typed Genesys client against the simulator over real HTTP: what it reads is mapped to
// the engine's types, and what it writes lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { apiFor } from '../../support/genesys.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 11, quiet: true });
});
afterAll(() => sim.close());

const colleague = (): string => sim.users.find((u) => u.id !== sim.demoUser.id)!.id;

async function aRoom(): Promise<Extract<ChatRef, { kind: 'room' }>> {
  const { api } = apiFor(sim);
  const roster = await api.roster();
  const room = roster.find((e) => e.chat.kind === 'room' && e.chat.name === 'Support Team')!.chat;
  if (room.kind !== 'room') throw new Error('not a room');
  return room;
}

describe('ChatApi against the simulator', () => {
  it('reads who the user is', async () => {
    const { api } = apiFor(sim);
    const me = await api.me();
    expect(me).toMatchObject({ id: sim.demoUser.id, name: sim.demoUser.name });
    expect(me.jid).toMatch(/@/);
  });

  it('maps the roster into rooms keyed by jid and 1on1s keyed by the other user, newest first', async () => {
    const { api } = apiFor(sim);
    const roster = await api.roster();
    const rooms = roster.filter((e) => e.chat.kind === 'room');
    const directs = roster.filter((e) => e.chat.kind === 'oneOnOne');
    expect(rooms.length).toBeGreaterThan(2);
    expect(directs.length).toBeGreaterThan(2);
    for (const r of rooms) {
      expect(r.chat.id).toBe(r.chat.jid);
      expect(r.chat.jid).toMatch(/@conference\./);
      expect(r.room?.type).toMatch(/^(group|adhoc)$/);
    }
    for (const d of directs) expect(sim.users.some((u) => u.id === d.chat.id)).toBe(true);
    const dates = roster.map((e) => e.lastMessageAt ?? 0);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('stops paging the roster once it reaches chats not newer than a date', async () => {
    const s = await startSimulator({ seed: 12, quiet: true, rosterPageSize: 2 });
    try {
      const { api, http } = apiFor(s);
      const all = await api.roster(); // a full read, newest first: the order is trusted from now on
      const before = http.sent;
      const newest = all[0]!.lastMessageAt!;
      const changed = await api.roster({ stopAtOrBefore: newest });
      expect(http.sent - before).toBe(1);
      expect(changed.length).toBeLessThanOrEqual(2);
    } finally {
      await s.close();
    }
  });

  it('never stops early on a roster that is not newest first, nor before it has seen the order', async () => {
    const s = await startSimulator({
      seed: 12,
      quiet: true,
      rosterPageSize: 2,
      variants: { rosterOrder: 'oldest-first' },
    });
    try {
      const { api, http } = apiFor(s);
      const pages = Math.ceil(s.control.chats(s.demoUser.id).length / 2);
      // Before any full read, the order is unknown: every page.
      let before = http.sent;
      const first = await api.roster({ stopAtOrBefore: Date.now() });
      expect(http.sent - before).toBe(pages);
      const newest = Math.max(...first.map((e) => e.lastMessageAt ?? 0));
      before = http.sent;
      await api.roster({ stopAtOrBefore: newest });
      expect(http.sent - before).toBe(pages);
    } finally {
      await s.close();
    }
  });

  it('sends, edits, reacts to, pins, unpins and deletes a message, and reads each change back', async () => {
    const { api } = apiFor(sim);
    const room = await aRoom();
    const other = colleague();
    const id = await api.send(room, { text: 'ship it @here', mentions: [other] });
    let [msg] = await api.messagesById(room, [id]);
    expect(msg).toMatchObject({
      id,
      chatId: room.id,
      chatKind: 'room',
      senderId: sim.demoUser.id,
      notifyAll: true,
    });
    expect(msg!.mentions).toContain(other);

    await api.edit(room, id, { text: 'ship it now' });
    [msg] = await api.messagesById(room, [id]);
    expect(msg!.body).toBe('ship it now');
    expect(msg!.editedAt).toBeGreaterThan(0);

    await api.setReactions(id, ['👍', '🎉']);
    [msg] = await api.messagesById(room, [id]);
    expect(msg!.reactions).toEqual({ '👍': [sim.demoUser.id], '🎉': [sim.demoUser.id] });

    await api.pin(room, id);
    expect(await api.pinnedIds(room)).toContain(id);
    await api.unpin(room, id);
    expect(await api.pinnedIds(room)).not.toContain(id);

    await api.remove(room, id);
    expect(await api.messagesById(room, [id])).toEqual([]); // deleted messages are gone from reads
  });

  it('replies in a thread and reads history after a date, oldest first', async () => {
    const { api } = apiFor(sim);
    const room = await aRoom();
    const [latest] = (await api.history(room, { limit: 1 })).slice(-1);
    const root = await api.send(room, { text: 'root' });
    const reply = await api.send(room, { text: 'reply', threadId: root });
    const after = await api.history(room, { after: latest!.createdAt });
    expect(after.map((m) => m.id)).toEqual([root, reply]);
    expect(after[1]!.threadId).toBe(root);
    const thread = await api.thread(room, root);
    expect(thread.map((m) => m.id)).toEqual([root, reply]);
  });

  it('talks in a 1on1 by the other user id', async () => {
    const { api } = apiFor(sim);
    const other = colleague();
    const dm: ChatRef = { id: other, kind: 'oneOnOne', jid: '', name: 'dm' };
    const id = await api.send(dm, { text: 'hi there' });
    const [msg] = await api.messagesById(dm, [id]);
    expect(msg).toMatchObject({ chatId: other, chatKind: 'oneOnOne', body: 'hi there' });
  });

  it('reads and writes the personal chat settings', async () => {
    const { api } = apiFor(sim);
    const before = await api.settings();
    const next = { ...before, mentionsOnly: !before.mentionsOnly };
    await expect(api.updateSettings({ mentionsOnly: next.mentionsOnly }, before)).resolves.toEqual(next);
    await expect(api.settings()).resolves.toEqual(next);
  });

  it('refuses a sixth pin with the limit in the message', async () => {
    const { api } = apiFor(sim);
    const room = await aRoom();
    for (const id of await api.pinnedIds(room)) await api.unpin(room, id);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await api.send(room, { text: `pin me ${i}` }));
    for (const id of ids.slice(0, 5)) await api.pin(room, id);
    await expect(api.pin(room, ids[5]!)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/5/),
    });
  });

  it('never lets an id of "." or ".." turn into another API path', async () => {
    const { api } = apiFor(sim);
    const room = await aRoom();
    sim.control.clearRequests();
    for (const id of ['.', '..']) {
      await expect(api.remove(room, id)).rejects.toMatchObject({ kind: 'http', status: 400 });
      await expect(api.unpin(room, id)).rejects.toMatchObject({ kind: 'http', status: 400 });
      await expect(api.edit(room, id, { text: 'x' })).rejects.toMatchObject({ kind: 'http', status: 400 });
      await expect(api.remove({ ...room, jid: id }, 'm1')).rejects.toMatchObject({ status: 400 });
    }
    expect(sim.control.requests().entries).toEqual([]);
  });

  it('refuses every chat path for a customer conversation (it is not a Collaborate chat)', async () => {
    const { api } = apiFor(sim);
    const customer: ChatRef = { id: 'conv-1', kind: 'customer', jid: '', name: 'Ana' };
    sim.control.clearRequests();
    await expect(api.send(customer, { text: 'hi' })).rejects.toMatchObject({ status: 400 });
    await expect(api.remove(customer, 'm1')).rejects.toMatchObject({ status: 400 });
    await expect(api.pin(customer, 'm1')).rejects.toMatchObject({ status: 400 });
    await expect(api.history(customer, {})).rejects.toMatchObject({ status: 400 });
    expect(sim.control.requests().entries).toEqual([]);
  });
});
