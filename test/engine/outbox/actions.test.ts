// Each kind of outbox action lands in the simulator over real HTTP, in order per chat, visible to the UI.
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../../src/main/engine/outbox/outbox.ts';
import type { OutboxChange } from '../../../src/main/engine/outbox/options.ts';
import type { OutboxItem } from '../../../src/main/engine/outbox/schema.ts';
import {
  client,
  colleagues,
  directRef,
  fileStorage,
  membersOf,
  outbox,
  outboxSuite,
  roomRef,
  sleep,
  unique,
  until,
  withText,
} from './helpers.ts';

const suite = outboxSuite(21);
const { track } = suite;

function started(file: string): Outbox {
  const { api } = client(suite.sim);
  const box = track(outbox(fileStorage(`${suite.dir}/${file}.json`), () => api));
  box.start();
  return box;
}

describe('outbox actions against the simulator', () => {
  it('posts a reply, in a thread with a mention, and records the message id', async () => {
    const ob = started('reply');
    const room = roomRef(suite.sim, 'Support Team');
    const alice = membersOf(suite.sim, room)[0]!;
    const root = suite.sim.control.post({ as: alice, room: room.jid, body: 'anyone around?' });
    const text = unique('on it');
    const queued = await ob.reply({ chat: room, text, threadId: root.id, mentions: [alice] });
    expect(queued.state).toBe('queued');

    const item = await ob.settled(queued.id);
    expect(item).toMatchObject({ state: 'sent', attempts: 1 });
    const msg = suite.sim.control.message(item!.result!.messageId!);
    expect(msg).toMatchObject({
      body: text,
      user: { id: suite.sim.demoUser.id },
      parentThread: { id: root.id },
    });
    expect(Object.keys(msg!.mentions ?? {})).toContain(alice);
  });

  it('posts in a 1on1', async () => {
    const ob = started('direct');
    const dm = directRef(colleagues(suite.sim)[1]!);
    const text = unique('see you at 3');
    const since = Date.now() - 1000;
    const item = await ob.settled((await ob.reply({ chat: dm, text })).id);
    expect(item?.state).toBe('sent');
    expect(await withText(suite.sim, dm, text, since)).toEqual([item!.result!.messageId]);
  });

  it("edits and deletes the user's own message; deleting what is already gone counts as done", async () => {
    const ob = started('edit-delete');
    const room = roomRef(suite.sim, 'Engineering');
    const mine = suite.sim.control.post({ as: suite.sim.demoUser.id, room: room.jid, body: 'typo heer' });

    const edit = await ob.settled((await ob.edit({ chat: room, messageId: mine.id, text: 'typo here' })).id);
    expect(edit?.state).toBe('sent');
    expect(suite.sim.control.message(mine.id)).toMatchObject({ body: 'typo here', edited: true });

    const del = await ob.settled((await ob.delete({ chat: room, messageId: mine.id })).id);
    expect(del?.state).toBe('sent');
    expect(suite.sim.control.message(mine.id)).toBeUndefined();

    const again = await ob.settled((await ob.delete({ chat: room, messageId: mine.id })).id);
    expect(again).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it("toggles one emoji of the user's reactions and leaves the rest alone", async () => {
    const ob = started('react');
    const room = roomRef(suite.sim, 'Watercooler');
    const [alice, bob] = membersOf(suite.sim, room);
    const msg = suite.sim.control.post({ as: alice!, room: room.jid, body: 'cake in the kitchen' });
    suite.sim.control.react({ as: suite.sim.demoUser.id, messageId: msg.id, reactions: ['👍'] });
    suite.sim.control.react({ as: bob!, messageId: msg.id, reactions: ['🎉'] });
    const reactions = (): Record<string, string[]> =>
      Object.fromEntries(
        (suite.sim.control.message(msg.id)?.reactions ?? []).map((r) => [
          r.emoji,
          r.users.map((u) => u.id).sort(),
        ]),
      );
    const me = suite.sim.demoUser.id;

    await ob.settled((await ob.react({ chat: room, messageId: msg.id, emoji: '🎉', on: true })).id);
    expect(reactions()).toEqual({ '👍': [me], '🎉': [bob!, me].sort() });

    await ob.settled((await ob.react({ chat: room, messageId: msg.id, emoji: '👍', on: false })).id);
    expect(reactions()).toEqual({ '🎉': [bob!, me].sort() });

    // Turning on what is already on changes nothing.
    const same = await ob.settled(
      (await ob.react({ chat: room, messageId: msg.id, emoji: '🎉', on: true })).id,
    );
    expect(same?.state).toBe('sent');
    expect(reactions()).toEqual({ '🎉': [bob!, me].sort() });
  });

  it('pins and unpins a message', async () => {
    const ob = started('pins');
    const room = roomRef(suite.sim, 'Support Team');
    for (const id of suite.sim.control.chats().find((c) => c.jid === room.jid)!.pinnedMessageIds)
      suite.sim.control.unpin(id);
    const msg = suite.sim.control.post({
      as: suite.sim.demoUser.id,
      room: room.jid,
      body: 'runbook: go/oncall',
    });
    const pins = (): string[] => suite.sim.control.chats().find((c) => c.jid === room.jid)!.pinnedMessageIds;

    expect((await ob.settled((await ob.pin({ chat: room, messageId: msg.id })).id))?.state).toBe('sent');
    expect(pins()).toContain(msg.id);
    expect((await ob.settled((await ob.unpin({ chat: room, messageId: msg.id })).id))?.state).toBe('sent');
    expect(pins()).not.toContain(msg.id);
    // Unpinning what is not pinned (any more) is done, not failed.
    const again = await ob.settled((await ob.unpin({ chat: room, messageId: msg.id })).id);
    expect(again?.state).toBe('sent');
  });

  it('keeps the order of replies per chat while sending two chats at once, and tells the UI each step', async () => {
    const ob = started('order');
    const room = roomRef(suite.sim, 'Engineering');
    const dm = directRef(colleagues(suite.sim)[3]!);
    const since = Date.now() - 1000;
    const tag = unique('step');
    const views: OutboxChange[] = [];
    ob.onChange((v) => views.push(v));
    let inFlight = 0;
    ob.onChange((v) => (inFlight = Math.max(inFlight, v.items.filter((i) => i.state === 'sending').length)));
    suite.sim.control.setLatency(40);

    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      ids.push((await ob.reply({ chat: room, text: `${tag} room ${i}` })).id);
      ids.push((await ob.reply({ chat: dm, text: `${tag} dm ${i}` })).id);
    }
    const done = await Promise.all(ids.map((id) => ob.settled(id)));
    expect(done.every((i) => i?.state === 'sent')).toBe(true);

    const { api } = client(suite.sim);
    const roomBodies = (await api.history(room, { after: since })).map((m) => m.body);
    const dmBodies = (await api.history(dm, { after: since })).map((m) => m.body);
    expect(roomBodies.filter((b) => b.startsWith(tag))).toEqual([1, 2, 3, 4].map((i) => `${tag} room ${i}`));
    expect(dmBodies.filter((b) => b.startsWith(tag))).toEqual([1, 2, 3, 4].map((i) => `${tag} dm ${i}`));
    expect(inFlight).toBe(2); // both chats at once, never more
    const states = views.map((v) => v.items.find((i) => i.id === ids[0])?.state);
    expect(states).toEqual(expect.arrayContaining(['queued', 'sending', 'sent']));
    expect(ob.items().map((i) => i.id)).toEqual(ids); // newest last
  });

  it('on stop, waits for what is being sent and saves it; nothing goes out after', async () => {
    const file = fileStorage(`${suite.dir}/stop.json`);
    const { api } = client(suite.sim);
    const ob = outbox(file, () => api);
    const room = roomRef(suite.sim, 'Engineering');
    const since = Date.now() - 1000;
    suite.sim.control.setLatency(150);
    ob.start();
    const a = await ob.reply({ chat: room, text: unique('last words') });
    await until(() => ob.item(a.id)?.state === 'sending', 'sending');
    expect((file.read() as OutboxItem[])[0]?.state).toBe('sending'); // on disk before it goes out
    await ob.stop();
    expect((file.read() as OutboxItem[])[0]).toMatchObject({ id: a.id, state: 'sent' });
    expect(ob.status().running).toBe(false);

    const later = unique('after stop');
    const b = await ob.reply({ chat: room, text: later });
    await sleep(100);
    expect(ob.item(b.id)?.state).toBe('queued');
    expect((file.read() as OutboxItem[]).map((i) => i.state)).toEqual(['sent', 'queued']);
    suite.sim.control.setLatency(0);
    expect(await withText(suite.sim, room, later, since)).toEqual([]);
  });

  it('keeps only the newest sent items for the UI', async () => {
    const { api } = client(suite.sim);
    const box = track(outbox(fileStorage(`${suite.dir}/prune.json`), () => api, { keepSent: { count: 2 } }));
    box.start();
    const room = roomRef(suite.sim, 'Watercooler');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await box.reply({ chat: room, text: unique(`note ${i}`) })).id);
      await box.settled(ids[i]!);
    }
    expect(box.items().map((i) => i.id)).toEqual(ids.slice(2));
  });

  it('refuses an empty reply before queueing it', async () => {
    const ob = started('invalid');
    await expect(ob.reply({ chat: roomRef(suite.sim, 'Engineering'), text: '   ' })).rejects.toThrow(/text/);
    expect(ob.items()).toEqual([]);
  });
});
