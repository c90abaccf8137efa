// readAfter against every plausible answer to what Genesys leaves undocumented about history: the
// simulator's own paging code (pageMessages, orderPage) stands in for the server, switched through
// each order, limit, bound and end-kept answer, with and without a lower cap than asked. Whatever the
// answer, the read returns every message after the start exactly once, oldest first; against the
// default answer it costs one request.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/main/engine/model.ts';
import { readAfter, type PageReader } from '../../../src/main/genesys/history-read.ts';
import { pageMessages } from '../../../src/simulator/history.ts';
import type { MessageRecord } from '../../../src/simulator/model.ts';
import { orderPage, type WireVariants } from '../../../src/simulator/variants.ts';

type Server = Pick<WireVariants, 'historyOrder' | 'historyLimit' | 'historyBounds' | 'historyAfterKeeps'> & {
  cap?: number;
};

/** `count` messages 10 ms apart from t=1000, with a run of `ties` sharing one date at `tieAt`. */
function history(count: number, ties = 0, tieAt = 0): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (let i = 0; i < count; i++) {
    const dateMs = i >= tieAt && i < tieAt + ties ? 1000 + tieAt * 10 : 1000 + i * 10;
    out.push({ id: `m${String(i).padStart(4, '0')}`, dateMs, deleted: false } as MessageRecord);
  }
  return out;
}

function reader(messages: MessageRecord[], server: Server, counter: { pages: number }): PageReader {
  return async (q) => {
    counter.pages++;
    const page = pageMessages(
      messages,
      { limit: Math.min(q.limit, server.cap ?? Infinity), afterMs: q.after, beforeMs: q.before },
      server,
    );
    const ordered = orderPage(page, server.historyOrder, 7);
    const mapped: ChatMessage[] = ordered.map((m) => ({
      id: m.id,
      chatId: 'c',
      chatKind: 'room',
      senderId: 'u',
      body: '',
      createdAt: m.dateMs,
      mentions: [],
      notifyAll: false,
      reactions: {},
    }));
    return { messages: mapped, received: mapped.length };
  };
}

const servers: Server[] = [];
for (const historyOrder of ['oldest-first', 'newest-first', 'shuffled'] as const)
  for (const historyLimit of ['honour', 'ignore'] as const)
    for (const historyBounds of ['exclusive', 'inclusive'] as const)
      for (const historyAfterKeeps of ['oldest', 'newest'] as const)
        for (const cap of [undefined, 7])
          servers.push({
            historyOrder,
            historyLimit,
            historyBounds,
            historyAfterKeeps,
            ...(cap ? { cap } : {}),
          });

describe('readAfter', () => {
  for (const server of servers) {
    it(`reads every message once: ${JSON.stringify(server)}`, async () => {
      // 260 messages, a run of 5 sharing one date across where a page of 100 would end; the caller
      // knows up to message 20 and the roster's last date.
      const all = history(260, 5, 118);
      const known = all[20]!.dateMs;
      const counter = { pages: 0 };
      const result = await readAfter(reader(all, server, counter), {
        after: known - 1,
        known,
        knownLast: all.at(-1)!.dateMs,
        maxPages: 200,
      });
      expect(result.complete).toBe(true);
      expect(result.messages.map((m) => m.id)).toEqual(all.slice(20).map((m) => m.id));
    });
  }

  it('costs one request against the default answer when a page holds everything new', async () => {
    const all = history(60);
    const counter = { pages: 0 };
    const server: Server = {
      historyOrder: 'oldest-first',
      historyLimit: 'honour',
      historyBounds: 'exclusive',
      historyAfterKeeps: 'oldest',
    };
    const { messages } = await readAfter(reader(all, server, counter), {
      after: all[9]!.dateMs - 1,
      known: all[9]!.dateMs,
      knownLast: all.at(-1)!.dateMs,
    });
    expect(messages).toHaveLength(51);
    expect(counter.pages).toBe(1);
  });

  it('reads one message per answer to the end the roster knows of', async () => {
    const all = history(12);
    const counter = { pages: 0 };
    const server: Server = {
      historyOrder: 'oldest-first',
      historyLimit: 'honour',
      historyBounds: 'exclusive',
      historyAfterKeeps: 'oldest',
      cap: 1,
    };
    const { messages, complete } = await readAfter(reader(all, server, counter), {
      after: all[2]!.dateMs - 1,
      known: all[2]!.dateMs,
      knownLast: all.at(-1)!.dateMs,
      maxPages: 100,
    });
    expect(complete).toBe(true);
    expect(messages.map((m) => m.id)).toEqual(all.slice(2).map((m) => m.id));
  });

  it('out of pages, it returns only what has no hole below it, and says it is incomplete', async () => {
    const all = history(400);
    const server: Server = {
      historyOrder: 'shuffled',
      historyLimit: 'honour',
      historyBounds: 'exclusive',
      historyAfterKeeps: 'newest',
      cap: 10,
    };
    const { messages, complete } = await readAfter(reader(all, server, { pages: 0 }), {
      after: all[0]!.dateMs - 1,
      known: all[0]!.dateMs,
      knownLast: all.at(-1)!.dateMs,
      maxPages: 5,
    });
    expect(complete).toBe(false);
    // A prefix of the history: nothing after a gap.
    expect(messages.map((m) => m.id)).toEqual(all.slice(0, messages.length).map((m) => m.id));
  });

  it('a deleted last message costs two more requests (its overlap, then one step past), not a loop', async () => {
    const all = history(30);
    all[29]!.deleted = true;
    const counter = { pages: 0 };
    const server: Server = {
      historyOrder: 'oldest-first',
      historyLimit: 'honour',
      historyBounds: 'exclusive',
      historyAfterKeeps: 'oldest',
    };
    const { messages, complete } = await readAfter(reader(all, server, counter), {
      after: all[0]!.dateMs - 1,
      known: all[0]!.dateMs,
      knownLast: all[29]!.dateMs,
    });
    expect(complete).toBe(true);
    expect(messages).toHaveLength(29);
    expect(counter.pages).toBe(3);
  });
});
