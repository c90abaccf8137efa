// History paging semantics on the raw store, date parsing, and the bulk load used for benchmarks.
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/simulator/clock.ts';
import { pageMessages, parseDateParam, parseLimit } from '../../src/simulator/history.ts';
import type { RoomRecord } from '../../src/simulator/model.ts';
import { Prng } from '../../src/simulator/prng.ts';
import { ChatStore } from '../../src/simulator/store.ts';
import { call, startTestSimulator } from './helpers.ts';

function storeWithRoom(count: number): { store: ChatStore; room: RoomRecord; dates: number[] } {
  const store = new ChatStore(new Clock(), new Prng(9));
  for (const id of ['a', 'b']) {
    store.addUser({
      id,
      name: id,
      email: `${id}@x.example`,
      title: '',
      department: '',
      jid: `${id}@j`,
      presence: 'Available',
    });
  }
  const room = store.createRoom({
    id: 'r',
    jidLocal: 'r',
    roomType: 'group',
    name: 'R',
    owners: ['a'],
    participants: ['a', 'b'],
    createdMs: 0,
  });
  const dates: number[] = [];
  for (let i = 0; i < count; i++) {
    dates.push(
      store.postMessage(room, i % 2 ? 'a' : 'b', { body: `m${i}` }, { dateMs: 1000 + i * 10, silent: true })
        .dateMs,
    );
  }
  return { store, room, dates };
}

describe('pageMessages', () => {
  it('returns the newest `limit` before `before`, oldest first', () => {
    const { room } = storeWithRoom(10);
    expect(pageMessages(room.messages, { limit: 3 }).map((m) => m.body)).toEqual(['m7', 'm8', 'm9']);
    expect(pageMessages(room.messages, { limit: 3, beforeMs: 1050 }).map((m) => m.body)).toEqual([
      'm2',
      'm3',
      'm4',
    ]);
    expect(pageMessages(room.messages, { limit: 3, beforeMs: 1051 }).map((m) => m.body)).toEqual([
      'm3',
      'm4',
      'm5',
    ]);
    expect(pageMessages(room.messages, { limit: 3, beforeMs: 1000 })).toEqual([]);
  });

  it('returns the oldest `limit` strictly after `after`, bounded by `before`', () => {
    const { room } = storeWithRoom(10);
    expect(pageMessages(room.messages, { limit: 3, afterMs: 1020 }).map((m) => m.body)).toEqual([
      'm3',
      'm4',
      'm5',
    ]);
    expect(
      pageMessages(room.messages, { limit: 10, afterMs: 1020, beforeMs: 1060 }).map((m) => m.body),
    ).toEqual(['m3', 'm4', 'm5']);
    expect(pageMessages(room.messages, { limit: 3, afterMs: 5000 })).toEqual([]);
  });

  it('skips deleted messages without shrinking the page', () => {
    const { store, room } = storeWithRoom(10);
    for (const i of [8, 5]) {
      const m = room.messages[i];
      if (m) store.deleteMessage(m, m.senderId, { silent: true });
    }
    expect(pageMessages(room.messages, { limit: 3 }).map((m) => m.body)).toEqual(['m6', 'm7', 'm9']);
    expect(pageMessages(room.messages, { limit: 3, afterMs: 1030 }).map((m) => m.body)).toEqual([
      'm4',
      'm6',
      'm7',
    ]);
  });

  it('answers the undocumented points as the variants say: bounds, limit, the end an `after` keeps', () => {
    const { room } = storeWithRoom(10);
    const bodies = (variants: Parameters<typeof pageMessages>[2], q: Parameters<typeof pageMessages>[1]) =>
      pageMessages(room.messages, q, variants).map((m) => m.body);
    const base = { historyBounds: 'exclusive', historyLimit: 'honour', historyAfterKeeps: 'oldest' } as const;
    // Inclusive bounds take the message dated exactly at each bound.
    expect(bodies({ ...base, historyBounds: 'inclusive' }, { limit: 3, afterMs: 1020 })).toEqual([
      'm2',
      'm3',
      'm4',
    ]);
    expect(bodies({ ...base, historyBounds: 'inclusive' }, { limit: 3, beforeMs: 1050 })).toEqual([
      'm3',
      'm4',
      'm5',
    ]);
    // An ignored limit gives the whole range.
    expect(bodies({ ...base, historyLimit: 'ignore' }, { limit: 3, afterMs: 1020 })).toHaveLength(7);
    // With `after`, the newest end of the range instead of the oldest.
    expect(bodies({ ...base, historyAfterKeeps: 'newest' }, { limit: 3, afterMs: 1020 })).toEqual([
      'm7',
      'm8',
      'm9',
    ]);
    expect(
      bodies({ ...base, historyAfterKeeps: 'newest' }, { limit: 2, afterMs: 1020, beforeMs: 1060 }),
    ).toEqual(['m4', 'm5']);
  });

  it('parses ISO and epoch-ms dates and refuses the rest', () => {
    expect(parseDateParam('before', '2024-05-01T10:00:00.000Z')).toBe(Date.parse('2024-05-01T10:00:00.000Z'));
    expect(parseDateParam('before', '1714557600000')).toBe(1714557600000);
    expect(parseDateParam('before', null)).toBeUndefined();
    expect(() => parseDateParam('after', 'soon')).toThrow(/after/);
    expect(parseLimit(null, 25, 100)).toBe(25);
    expect(parseLimit('500', 25, 100)).toBe(100);
    expect(() => parseLimit('0', 25, 100)).toThrow();
    expect(() => parseLimit('1.5', 25, 100)).toThrow();
  });
});

describe('history answers over HTTP', () => {
  it('orders pages and shapes the 1on1 history as the variants say', async () => {
    const sim = await startTestSimulator();
    try {
      const token = sim.control.actAs(sim.demoUser.id).accessToken;
      const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!.id;
      for (let i = 0; i < 3; i++)
        sim.control.post({ as: colleague, toUser: sim.demoUser.id, body: `dm ${i}` });
      const room = sim.control.chats(sim.demoUser.id).find((c) => c.jid)!.jid!;
      const get = async (path: string) => (await call(sim, 'GET', path, { token })).json;
      const dm = `/api/v2/chats/users/${colleague}/messages?limit=3`;
      const oldestFirst = (await get(dm)).entities.map((m: { body: string }) => m.body);
      expect(oldestFirst).toEqual(['dm 0', 'dm 1', 'dm 2']);

      sim.control.setVariants({ historyOrder: 'newest-first' });
      expect((await get(dm)).entities.map((m: { body: string }) => m.body)).toEqual(['dm 2', 'dm 1', 'dm 0']);
      const roomPage = (await get(`/api/v2/chats/rooms/${room}/messages?limit=5`)).entities;
      const dates = roomPage.map((m: { dateCreated: string }) => Date.parse(m.dateCreated));
      expect(dates).toEqual([...dates].sort((a, b) => b - a));

      sim.control.setVariants({ historyOrder: 'oldest-first', oneOnOneHistory: 'array' });
      expect((await get(dm)).map((m: { body: string }) => m.body)).toEqual(['dm 0', 'dm 1', 'dm 2']);
      sim.control.setVariants({ oneOnOneHistory: 'single' });
      expect(await get(dm)).toMatchObject({
        body: 'dm 2',
        id: expect.any(String),
        thread: expect.any(Object),
      });
      // Rooms keep the listing whatever the 1on1 shape.
      expect(Array.isArray((await get(`/api/v2/chats/rooms/${room}/messages?limit=2`)).entities)).toBe(true);

      const bad = await call(sim, 'PUT', '/_sim/variants', { body: { historyOrder: 'sideways' } });
      expect(bad.status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});

describe('bulk load', () => {
  it('adds large rooms quickly, dated before existing history, and pages them fast', async () => {
    const sim = await startTestSimulator();
    try {
      const oldest = Math.min(
        ...sim.control.chats().map((c) => {
          const room = c;
          return room.dateLastMessage ? Date.parse(room.dateLastMessage) : Infinity;
        }),
      );
      const started = Date.now();
      const jids = sim.control.bulkLoad({ rooms: 50, messagesPerRoom: 2000 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(jids).toHaveLength(50);
      const token = sim.control.actAs(sim.demoUser.id).accessToken;
      const t0 = performance.now();
      let before: string | undefined;
      let seen = 0;
      for (let page = 0; page < 20; page++) {
        const res = await call(
          sim,
          'GET',
          `/api/v2/chats/rooms/${jids[7]}/messages?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`,
          { token },
        );
        seen += res.json.entities.length;
        before = res.json.entities[0]?.dateCreated;
      }
      expect(seen).toBe(2000);
      expect(performance.now() - t0).toBeLessThan(3000);
      const bulk = sim.control.chats().find((c) => c.jid === jids[0]);
      expect(Date.parse(bulk?.dateLastMessage ?? '')).toBeLessThan(oldest);
      // Live messages still get later dates than everything.
      const live = sim.control.post({ as: sim.demoUser.id, room: jids[0] ?? '', body: 'live' });
      expect(Date.parse(live.dateCreated)).toBeGreaterThan(Date.parse(bulk?.dateLastMessage ?? ''));
    } finally {
      await sim.close();
    }
  });
});
