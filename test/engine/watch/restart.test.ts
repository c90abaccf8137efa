// A restart: with the ledger and `syncedAt` of the last run, what happened while the app was closed
// arrives by backfill — in known chats from their cursors, in new chats from `syncedAt` — and old
// history never does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/engine/ledger.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, watch, watchReady, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 27, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
});
afterAll(() => sim.close());

describe('Watcher across a restart', () => {
  it('catches up on known and new chats from the saved ledger and syncedAt, nothing older', async () => {
    const first = await watchReady(sim);
    h = first;
    const syncedAt = first.synced.at(-1)!;
    const saved = JSON.parse(JSON.stringify(first.ledger.toJSON())) as unknown;
    first.stop();

    // While the app is closed: news in a known room, and a colleague starts a brand-new 1on1.
    const support = colleagueIn(sim, 'Support Team');
    const known = sim.control.post({ as: support.colleague, room: support.room, body: 'while you were out' });
    const directs = new Set(
      sim.control
        .chats(sim.demoUser.id)
        .filter((c) => c.kind === 'oneonone')
        .flatMap((c) => c.participants),
    );
    const stranger = sim.users.find((u) => u.id !== sim.demoUser.id && !directs.has(u.id))!;
    const fresh = sim.control.post({ as: stranger.id, toUser: sim.demoUser.id, body: 'hi, new here' });

    const rosters: boolean[] = [];
    const { ledger } = Ledger.fromJSON(saved);
    h = await watch(sim, { ledger, manualStart: true });
    h.watcher.on('roster', (_e, info) => rosters.push(info.seed));
    h.watcher.start({ syncedAt });
    await h.until(() => h!.live(), 'push and a first sync');
    expect(rosters[0]).toBe(false); // not a first run: the engine must not seed
    const knownBatch = await h.until(() => h!.batchesFor(known.id)[0], 'the known room’s news');
    const freshBatch = await h.until(() => h!.batchesFor(fresh.id)[0], 'the new 1on1');
    expect(knownBatch.source).toBe('backfill');
    expect(freshBatch.source).toBe('backfill');
    expect(freshBatch.chat).toMatchObject({ id: stranger.id, kind: 'oneOnOne' });
    // Exactly these two are new to the engine: no history from before the last run.
    expect(h.fresh.map((m) => m.id).sort()).toEqual([known.id, fresh.id].sort());
    expect(h.batches.every((b) => b.events.length <= 2)).toBe(true);
  });
});
