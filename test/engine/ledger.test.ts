// Exactly-once bookkeeping: duplicates across push and backfill, restarts, equal timestamps, clock skew,
// first-run history, the bounded seen-set, and withdrawing notifications of deleted messages.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/engine/ledger.ts';
import { decide } from '../../src/main/engine/rules.ts';
import { defaultServerSettings, type ChatMessage } from '../../src/main/engine/model.ts';
import { ME, message } from './fixtures.ts';

const T = Date.UTC(2025, 0, 6, 12, 0);

/** What the watcher does with created messages: skip processed ones, decide, record. Returns notified ids. */
function deliver(ledger: Ledger, messages: readonly ChatMessage[]): string[] {
  const notified: string[] = [];
  for (const msg of messages) {
    if (!ledger.shouldProcess(msg)) continue;
    const decision = decide(
      { type: 'created', source: 'backfill', message: msg },
      { me: { id: ME }, server: defaultServerSettings, app: { chatMutes: {}, keywords: [] }, now: T },
    );
    ledger.markProcessed(msg);
    if (decision.action === 'notify') notified.push(msg.id);
  }
  return notified;
}

/** A server's history listing: every message of the chat with createdAt >= after, oldest first. */
function history(all: readonly ChatMessage[], chatId: string, after: number | undefined): ChatMessage[] {
  return all
    .filter((m) => m.chatId === chatId && (after === undefined || m.createdAt >= after))
    .sort((a, b) => a.createdAt - b.createdAt);
}

function restart(ledger: Ledger): Ledger {
  const { ledger: restored, issue } = Ledger.fromJSON(JSON.parse(JSON.stringify(ledger)));
  expect(issue).toBeUndefined();
  return restored;
}

const msgs = (count: number, chatId = 'room-1', start = T, step = 1000) =>
  Array.from({ length: count }, (_, i) =>
    message({ id: `${chatId}-m${i}`, chatId, createdAt: start + i * step }),
  );

describe('duplicates', () => {
  it('a message pushed and then backfilled notifies once', () => {
    const ledger = new Ledger();
    const m = message({ id: 'm1', createdAt: T });
    expect(deliver(ledger, [m])).toEqual(['m1']);
    expect(deliver(ledger, history([m], 'room-1', ledger.cursorFor('room-1')?.after))).toEqual([]);
  });

  it('the same message twice in one batch notifies once', () => {
    const m = message({ id: 'm1', createdAt: T });
    expect(deliver(new Ledger(), [m, { ...m }])).toEqual(['m1']);
  });
});

describe('restart', () => {
  it('neither repeats nor misses messages after serialising and reading back', () => {
    const server = msgs(10);
    const before = new Ledger();
    expect(deliver(before, server)).toHaveLength(10);

    const after = restart(before);
    server.push(...msgs(3, 'room-1', T + 60_000).map((m) => ({ ...m, id: `${m.id}-new` })));
    const notified = deliver(after, history(server, 'room-1', after.cursorFor('room-1')?.after));
    expect(notified).toEqual(['room-1-m0-new', 'room-1-m1-new', 'room-1-m2-new']);
  });

  it('a crash half-way through a batch resumes where the saved state left off', () => {
    const server = msgs(10);
    const ledger = new Ledger();
    deliver(ledger, server.slice(0, 4));
    const restored = restart(ledger);
    expect(deliver(restored, history(server, 'room-1', restored.cursorFor('room-1')?.after))).toEqual(
      server.slice(4).map((m) => m.id),
    );
  });
});

describe('equal timestamps', () => {
  it('messages sharing the newest timestamp are neither lost nor repeated', () => {
    const a = message({ id: 'a', createdAt: T });
    const b = message({ id: 'b', createdAt: T });
    const c = message({ id: 'c', createdAt: T });
    const ledger = new Ledger();
    expect(deliver(ledger, [a])).toEqual(['a']);

    const restored = restart(ledger);
    expect(deliver(restored, [a, b])).toEqual(['b']);
    expect(deliver(restart(restored), [a, b, c])).toEqual(['c']);
  });

  it('survive even when the seen-set has forgotten them', () => {
    const ledger = new Ledger({ seenCapacity: 2 });
    deliver(ledger, [message({ id: 'a', createdAt: T }), message({ id: 'b', createdAt: T })]);
    deliver(ledger, msgs(5, 'room-2', T + 10_000)); // pushes a and b out of the seen-set
    expect(
      deliver(restart(ledger), [message({ id: 'a', createdAt: T }), message({ id: 'b', createdAt: T })]),
    ).toEqual([]);
  });
});

describe('clock skew', () => {
  it('an unseen message slightly older than the cursor is still delivered, once', () => {
    const ledger = new Ledger();
    deliver(ledger, [message({ id: 'newer', createdAt: T })]);
    const late = message({ id: 'late', createdAt: T - 1500 });
    expect(deliver(ledger, [late])).toEqual(['late']);
    expect(deliver(restart(ledger), [late])).toEqual([]);
  });

  it('backfill starts 2 s before the cursor so such messages are fetched again', () => {
    const ledger = new Ledger();
    deliver(ledger, [message({ id: 'newer', createdAt: T })]);
    expect(ledger.cursorFor('room-1')).toEqual({ after: T - 2000 });
    expect(ledger.cursorFor('room-unknown')).toBeUndefined();
  });

  it('a message older than the cursor by more than the allowance counts as already handled', () => {
    const ledger = new Ledger();
    deliver(ledger, [message({ id: 'newer', createdAt: T })]);
    expect(ledger.shouldProcess(message({ id: 'ancient', createdAt: T - 60_000 }))).toBe(false);
  });
});

describe('first run', () => {
  it('history up to the seeded point does not notify; what comes after does', () => {
    const server = msgs(20);
    const ledger = new Ledger();
    const lastMessage = server.at(-1)?.createdAt ?? 0;
    expect(ledger.seedCursor('room-1', lastMessage)).toBe(true);
    expect(ledger.cursorFor('room-1')).toEqual({ after: lastMessage });
    expect(deliver(ledger, history(server, 'room-1', T))).toEqual([]);

    const fresh = message({ id: 'fresh', createdAt: lastMessage + 500 });
    expect(deliver(ledger, [fresh])).toEqual(['fresh']);
    expect(ledger.seedCursor('room-1', lastMessage + 10_000)).toBe(false);
    expect(
      deliver(restart(ledger), history([...server, fresh], 'room-1', ledger.cursorFor('room-1')?.after)),
    ).toEqual([]);
  });
});

describe('bounded memory', () => {
  it('keeps at most seenCapacity ids and still never repeats older messages', () => {
    const server = Array.from({ length: 20 }, (_, chat) =>
      msgs(25, `room-${chat}`, T + chat * 10, 1000),
    ).flat();
    server.sort((a, b) => a.createdAt - b.createdAt);
    const ledger = new Ledger({ seenCapacity: 50 });
    expect(deliver(ledger, server)).toHaveLength(500);
    expect(ledger.toJSON().seen.length).toBe(50);

    const restored = restart(ledger);
    for (let chat = 0; chat < 20; chat++) {
      expect(deliver(restored, history(server, `room-${chat}`, undefined))).toEqual([]);
    }
    const next = message({ id: 'next', chatId: 'room-3', createdAt: T + 25_000 });
    expect(deliver(restored, [next])).toEqual(['next']);
  });

  it('keeps at most notifiedCapacity notified ids and pendingCapacity pending ones', () => {
    const ledger = new Ledger({ notifiedCapacity: 3, pendingCapacity: 2 });
    for (const id of ['a', 'b', 'c', 'd'])
      ledger.recordNotified({ messageId: id, chatId: 'r', kind: 'message', notifiedAt: T });
    expect(['a', 'b', 'c', 'd'].map((id) => ledger.wasNotified(id))).toEqual([false, true, true, true]);
    expect(ledger.pending().map((item) => item.messageId)).toEqual(['c', 'd']);
  });
});

describe('reading saved state', () => {
  it.each([
    ['garbage', 'not a ledger'],
    ['null', null],
    ['a wrong version', { ...new Ledger().toJSON(), version: 2 }],
    ['a bad cursor', { ...new Ledger().toJSON(), cursors: { r: { at: 'yesterday', ids: [] } } }],
  ])('%s gives a fresh ledger and says why', (_label, data) => {
    const { ledger, issue } = Ledger.fromJSON(data);
    expect(issue).toMatch(/ledger state is invalid/);
    expect(ledger.chats()).toEqual([]);
    expect(ledger.shouldProcess(message())).toBe(true);
  });
});

describe('pending notifications', () => {
  it('a deleted message withdraws its notification once; reading a chat clears its notifications', () => {
    const ledger = new Ledger();
    ledger.recordNotified({ messageId: 'm1', chatId: 'room-1', kind: 'mention', notifiedAt: T });
    ledger.recordNotified({ messageId: 'm2', chatId: 'room-1', kind: 'message', notifiedAt: T });
    ledger.recordNotified({ messageId: 'm3', chatId: 'room-2', kind: 'message', notifiedAt: T });

    const restored = restart(ledger);
    expect(restored.withdraw('m1')).toEqual({
      messageId: 'm1',
      chatId: 'room-1',
      kind: 'mention',
      notifiedAt: T,
    });
    expect(restored.withdraw('m1')).toBeUndefined();
    expect(restored.wasNotified('m1')).toBe(true);
    expect(restored.markChatRead('room-1').map((item) => item.messageId)).toEqual(['m2']);
    expect(restored.pending().map((item) => item.messageId)).toEqual(['m3']);
  });

  it('forgetting a chat drops its cursor and its pending notifications', () => {
    const ledger = new Ledger();
    deliver(ledger, msgs(2, 'room-1'));
    ledger.recordNotified({ messageId: 'room-1-m1', chatId: 'room-1', kind: 'message', notifiedAt: T });
    ledger.forgetChat('room-1');
    expect(ledger.cursorFor('room-1')).toBeUndefined();
    expect(ledger.pending()).toEqual([]);
  });
});

describe('ledger eviction across chats', () => {
  it('does not hide older messages of a chat caught up after a busier one', () => {
    const ledger = new Ledger({ seenCapacity: 10 });
    // Chat A: 30 recent messages, processed first (evicting most of them).
    for (let i = 0; i < 30; i++)
      ledger.markProcessed({ id: `a${i}`, chatId: 'A', createdAt: 10_000 + i * 100 });
    // Chat B: messages from earlier in the same gap, processed afterwards: all must still be new.
    const b = Array.from({ length: 20 }, (_, i) => ({
      id: `b${i}`,
      chatId: 'B',
      createdAt: 5_000 + i * 100,
    }));
    for (const m of b) {
      expect(ledger.shouldProcess(m)).toBe(true);
      ledger.markProcessed(m);
    }
    // And what was evicted is still refused, before and after a restart.
    const again = (l: typeof ledger): boolean[] =>
      [{ id: 'a0', chatId: 'A', createdAt: 10_000 }, ...b].map((m) => l.shouldProcess(m));
    expect(again(ledger).every((x) => !x)).toBe(true);
    const { ledger: restored } = Ledger.fromJSON(JSON.parse(JSON.stringify(ledger.toJSON())));
    expect(again(restored).every((x) => !x)).toBe(true);
  });
});
