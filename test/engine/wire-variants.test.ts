// The engine against every plausible answer to what Genesys leaves undocumented about its REST
// answers (the simulator's variants): the roster's order and paging, history's order, limit, bounds
// and, for 1on1s, shape. Whatever the answer, what arrives is notified, and only once.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';
import { RecordingProxy } from '../support/recording-proxy.ts';

const open: { sim: Simulator; runs: EngineRun[] }[] = [];
afterEach(async () => {
  for (const { sim, runs } of open.splice(0)) {
    for (const run of runs) await run.stop().catch(() => {});
    await sim.close();
  }
});

async function simulator(options: SimulatorOptions): Promise<{ sim: Simulator; runs: EngineRun[] }> {
  const entry = { sim: await startSimulator({ seed: 23, quiet: true, ...options }), runs: [] as EngineRun[] };
  open.push(entry);
  return entry;
}

const pushing = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const timesShown = (run: EngineRun, id: string): number =>
  run.shown.filter((n) => n.messageIds.includes(id)).length;

describe('a new 1on1 behind the first page of an unsorted roster', () => {
  for (const rosterOrder of ['oldest-first', 'shuffled'] as const) {
    it(`is notified, once (${rosterOrder}, pages of 2)`, async () => {
      const { sim, runs } = await simulator({ rosterPageSize: 2, variants: { rosterOrder } });
      const me = sim.demoUser.id;
      const run = await runEngine(sim);
      runs.push(run);
      await run.until(pushing, 5000, 'push');
      const talked = new Set(
        sim.control
          .chats(me)
          .filter((c) => c.kind === 'oneonone')
          .flatMap((c) => c.participants),
      );
      const stranger = sim.users.find((u) => u.id !== me && !talked.has(u.id))!;
      const dm = sim.control.post({ as: stranger.id, toUser: me, body: 'Hi Alex, first time writing' });

      // The precondition that makes this test mean something: the new chat is not on page one.
      const token = sim.control.actAs(me).accessToken;
      const res = await fetch(`${sim.url}/api/v2/users/chats/me?excludeClosed=false`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const first = (await res.json()) as { entities: { user?: { id: string } }[]; nextUri?: string };
      expect(first.nextUri).toBeTruthy();
      expect(first.entities.some((e) => e.user?.id === stranger.id)).toBe(false);

      await run.until((r) => timesShown(r, dm.id) > 0, 5000, 'the new 1on1');
      await sleep(500);
      expect(timesShown(run, dm.id)).toBe(1);
      expect(run.engine.chats().some((e) => e.chat.id === stranger.id)).toBe(true);
    });
  }
});

describe('a catch-up after a restart notifies everything once, whatever history answers', () => {
  const cases: [string, SimulatorOptions][] = [
    ['pages newest first', { variants: { historyOrder: 'newest-first' } }],
    [
      'shuffled pages, inclusive bounds',
      { variants: { historyOrder: 'shuffled', historyBounds: 'inclusive' } },
    ],
    ['`after` keeping the newest end', { variants: { historyAfterKeeps: 'newest' } }],
    ['`limit` ignored', { variants: { historyLimit: 'ignore', historyOrder: 'newest-first' } }],
    ['`limit` capped at 3', { historyPageLimit: 3 }],
    [
      '`limit` capped at 3, `after` keeping the newest end',
      { historyPageLimit: 3, variants: { historyAfterKeeps: 'newest' } },
    ],
    [
      '1on1 history as a bare array',
      { variants: { oneOnOneHistory: 'array', historyOrder: 'newest-first' } },
    ],
    ['1on1 history as one message', { variants: { oneOnOneHistory: 'single' } }],
  ];
  for (const [name, options] of cases) {
    it(name, async () => {
      const { sim, runs } = await simulator(options);
      const me = sim.demoUser.id;
      const first = await runEngine(sim);
      await first.until(pushing, 5000, 'push');
      await first.stop();

      const room = sim.control.chats(me).find((c) => c.kind === 'room' && c.participants.length > 2)!;
      const inRoom = room.participants.find((p) => p !== me)!;
      const dmWith = sim.control
        .chats(me)
        .find((c) => c.kind === 'oneonone')!
        .participants.find((p) => p !== me)!;
      const posted: string[] = [];
      for (let i = 0; i < 7; i++)
        posted.push(
          sim.control.post({ as: inRoom, room: room.jid!, body: `room news ${i}`, mentions: [me] }).id,
        );
      for (let i = 0; i < 5; i++)
        posted.push(sim.control.post({ as: dmWith, toUser: me, body: `dm ${i}` }).id);

      const second = await runEngine(sim, { dir: first.dir, secrets: first.secrets });
      runs.push(second);
      await second.until((r) => posted.every((id) => timesShown(r, id) > 0), 8000, 'every message');
      await second.until(pushing, 5000, 'push');
      await sleep(300);
      expect(posted.map((id) => timesShown(second, id))).toEqual(posted.map(() => 1));
    });
  }
});

describe('a history answer in a shape the app does not know', () => {
  it('is counted and logged, and costs latency, never the message', async () => {
    const { sim, runs } = await simulator({});
    const proxy = await new RecordingProxy(sim.url).start();
    try {
      const me = sim.demoUser.id;
      const run = await runEngine({ ...sim, url: proxy.url });
      runs.push(run);
      await run.until(pushing, 5000, 'push');
      const room = sim.control.chats(me).find((c) => c.kind === 'room' && c.participants.length > 2)!;
      const colleague = room.participants.find((p) => p !== me)!;
      const other = sim.control
        .chats(me)
        .find((c) => c.kind === 'room' && c.jid !== room.jid && c.participants.includes(colleague))!;
      // This room's history comes back in another shape (a field name the models do not have).
      proxy.rewrite = (method, path, body) =>
        method === 'GET' && decodeURIComponent(path) === `/api/v2/chats/rooms/${room.jid}/messages`
          ? { messages: (body as { entities: unknown[] }).entities }
          : body;
      sim.control.dropSockets();
      const missed = sim.control.post({
        as: colleague,
        room: room.jid!,
        body: 'while you were away',
        mentions: [me],
      });
      await run.until(
        (r) => r.logs.some((l) => l.includes('wire surprise (GET /api/v2/chats/rooms/{id}/messages)')),
        8000,
        'the surprise',
      );
      expect(timesShown(run, missed.id)).toBe(0);
      expect(run.engine.wireStats?.snapshot()).toEqual([
        expect.objectContaining({
          kind: 'GET /api/v2/chats/rooms/{id}/messages',
          shape: { messages: [expect.any(Object)] },
        }),
      ]);
      // The rest goes on: the catch-up completed without that room, and push delivers at once.
      await run.until(pushing, 5000, 'push');
      const live = sim.control.post({ as: colleague, room: other.jid!, body: 'meanwhile', mentions: [me] });
      await run.until((r) => timesShown(r, live.id) > 0, 1500, 'a pushed message elsewhere');
      // The shape is logged, never the text.
      expect(run.logs.join('\n')).not.toContain('while you were away');
      // Readable again: the next sync brings the message, once.
      proxy.rewrite = null;
      await run.until(pushing, 5000, 'push');
      run.engine.resync('manual');
      await run.until((r) => timesShown(r, missed.id) > 0, 8000, 'the message');
      await sleep(300);
      expect(timesShown(run, missed.id)).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
