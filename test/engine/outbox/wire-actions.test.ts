// What the outbox sends for reactions and edits, whatever Genesys does with them: a reactions PUT
// carries the user's whole intended set and the message is read back to check (a server that adds
// or toggles instead of replacing is caught, and corrected where it can be); an edit carries the
// message's mentions again, so editing the text never drops them.
import { afterEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../../src/main/engine/outbox/outbox.ts';
import { client, fileStorage, membersOf, outbox, outboxSuite, roomRef } from './helpers.ts';

const suite = outboxSuite(41);
const { track } = suite;

afterEach(() => suite.sim.control.setVariants({ reactionsPut: 'replace' }));

function started(file: string): Outbox {
  const { api } = client(suite.sim);
  const box = track(outbox(fileStorage(`${suite.dir}/${file}-${Math.random()}.json`), () => api));
  box.start();
  return box;
}

function mine(messageId: string): string[] {
  const m = suite.sim.control.message(messageId);
  return (m?.reactions ?? [])
    .filter((r) => r.users.some((u) => u.id === suite.sim.demoUser.id))
    .map((r) => r.emoji);
}

function requestsFor(messageId: string): { method: string; body?: unknown }[] {
  return suite.sim.control
    .requests()
    .entries.filter((e) => e.path.includes(messageId))
    .map((e) => ({ method: e.method, ...(e.body !== undefined ? { body: e.body } : {}) }));
}

describe('reactions', () => {
  for (const mode of ['replace', 'toggle'] as const) {
    it(`adding and removing one emoji keeps the others, with a server that ${mode}s`, async () => {
      const sim = suite.sim;
      sim.control.setVariants({ reactionsPut: mode });
      const room = roomRef(sim, 'Support Team');
      const msg = sim.control.post({ as: membersOf(sim, room)[0]!, room: room.jid, body: 'lunch?' });
      sim.control.react({ as: sim.demoUser.id, messageId: msg.id, reactions: ['👍'] });
      const ob = started('react');
      sim.control.clearRequests();
      const added = await ob.settled(
        (await ob.react({ chat: room, messageId: msg.id, emoji: '🎉', on: true })).id,
      );
      expect(added?.state).toBe('sent');
      expect(mine(msg.id).sort()).toEqual(['👍', '🎉'].sort());
      const calls = requestsFor(msg.id);
      // The whole intended set is sent, and the message is read back after it.
      expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ reactions: ['👍', '🎉'] });
      expect(calls.at(-1)?.method).toBe('GET');

      const removed = await ob.settled(
        (await ob.react({ chat: room, messageId: msg.id, emoji: '👍', on: false })).id,
      );
      expect(removed?.state).toBe('sent');
      expect(mine(msg.id)).toEqual(['🎉']);
    });
  }

  it('a server that only adds cannot take a reaction away: the action fails and says so', async () => {
    const sim = suite.sim;
    sim.control.setVariants({ reactionsPut: 'add' });
    const room = roomRef(sim, 'Support Team');
    const msg = sim.control.post({ as: membersOf(sim, room)[0]!, room: room.jid, body: 'standup moved' });
    sim.control.react({ as: sim.demoUser.id, messageId: msg.id, reactions: ['👍'] });
    const ob = started('react-add');
    const added = await ob.settled(
      (await ob.react({ chat: room, messageId: msg.id, emoji: '🎉', on: true })).id,
    );
    expect(added?.state).toBe('sent');
    const removed = await ob.settled(
      (await ob.react({ chat: room, messageId: msg.id, emoji: '👍', on: false })).id,
    );
    expect(removed).toMatchObject({
      state: 'failed',
      lastError: { message: expect.stringMatching(/did not remove/) },
    });
    expect(mine(msg.id).sort()).toEqual(['👍', '🎉'].sort());
  });
});

describe('edits', () => {
  it('send the message’s mentions again with the new text', async () => {
    const sim = suite.sim;
    const room = roomRef(sim, 'Support Team');
    const alice = membersOf(sim, room)[0]!;
    const { api } = client(sim);
    const id = await api.send(room, { text: '@Alice can you review?', mentions: [alice] });
    const ob = started('edit');
    sim.control.clearRequests();
    const item = await ob.settled(
      (await ob.edit({ chat: room, messageId: id, text: '@Alice can you review PR 12?' })).id,
    );
    expect(item?.state).toBe('sent');
    expect(requestsFor(id).find((c) => c.method === 'PATCH')?.body).toEqual({
      message: '@Alice can you review PR 12?',
      mentions: [alice],
    });
    const after = sim.control.message(id);
    expect(after?.body).toBe('@Alice can you review PR 12?');
    expect(Object.keys(after?.mentions ?? {})).toEqual([alice]);
  });
});
