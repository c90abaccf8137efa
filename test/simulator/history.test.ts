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
