// Gaps in push: dropped sockets, deleted channels, maintenance closes, sleep and clock jumps. What
// was posted during a gap reaches the engine by backfill, one batch per chat, oldest first.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, sleep, SocketTap, watchReady, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 22, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
  sim.control.resetFaults();
});
afterAll(() => sim.close());

describe('Watcher across gaps', () => {
  it('reconnects after dropped sockets; what was posted meanwhile comes per chat, oldest first', async () => {
    h = await watchReady(sim);
    const support = colleagueIn(sim, 'Support Team');
    const eng = colleagueIn(sim, 'Engineering');
    const channelBefore = h.watcher.channelId;
    const syncsBefore = h.synced.length;

    sim.control.dropSockets();
    const a1 = sim.control.post({ as: support.colleague, room: support.room, body: 'first' });
    const a2 = sim.control.post({ as: support.colleague, room: support.room, body: 'second' });
    const b1 = sim.control.post({ as: eng.colleague, room: eng.room, body: 'third' });

    await h.until(() => h!.batchesFor(a1.id).length && h!.batchesFor(b1.id).length, 'the backfill');
    const [supportBatch] = h.batchesFor(a1.id);
    expect(supportBatch!.source).toBe('backfill');
    expect(h.batchesFor(a2.id)).toEqual([supportBatch]);
    const order = supportBatch!.events.map((e) => (e.type === 'created' ? e.message.id : ''));
    expect(order.indexOf(a1.id)).toBeLessThan(order.indexOf(a2.id));
    expect(h.batchesFor(b1.id)).toHaveLength(1);
    expect(h.batchesFor(b1.id)[0]!.source).toBe('backfill');
    expect(h.fresh.map((m) => m.id)).toEqual(expect.arrayContaining([a1.id, a2.id, b1.id]));
    expect(h.fresh).toHaveLength(3);
    expect(h.synced.length).toBeGreaterThan(syncsBefore);
    expect(h.watcher.state).toBe('push');
    expect(h.watcher.channelId).not.toBe(channelBefore);

    // And push works again afterwards.
    const c1 = sim.control.post({ as: support.colleague, room: support.room, body: 'live again' });
    await h.until(() => h!.batchesFor(c1.id)[0]?.source === 'push', 'a pushed message after the gap');
  });

  it('holds pushed events until the gap before them is backfilled, so nothing older is lost', async () => {
    h = await watchReady(sim);
    const support = colleagueIn(sim, 'Support Team');
    const old = h.watcher.channelId;
    sim.control.dropSockets();
    const missed = sim.control.post({ as: support.colleague, room: support.room, body: 'during the gap' });
    sim.control.setClockOffset(10_000); // later messages are dated well after the missed one
    sim.control.setLatency(250); // REST is slow, push is not
    await h.until(
      () => sim.control.channels().find((c) => c.id !== old && c.connected && c.topics.length > 1),
      'the new channel subscribed',
    );
    const pushed = sim.control.post({ as: support.colleague, room: support.room, body: 'right after' });
    await h.until(() => h!.batchesFor(missed.id).length && h!.batchesFor(pushed.id).length, 'both');
    // The engine's ledger accepted both, the older first: had the pushed one gone first, the
    // backfilled one would have looked 10 s older than the chat's cursor and been dropped.
    expect(h.fresh.map((m) => m.id)).toEqual([missed.id, pushed.id]);
    expect(h.batchesFor(missed.id)[0]!.source).toBe('backfill');
  });

  it('replaces a deleted channel (404), restores its topics, and backfills the gap', async () => {
    h = await watchReady(sim);
    const support = colleagueIn(sim, 'Support Team');
    const old = sim.control.channels().find((c) => c.id === h!.watcher.channelId)!;
    const states = h.states.length;

    expect(sim.control.deleteChannel(old.id)).toBe(true);
    const during = sim.control.post({ as: support.colleague, room: support.room, body: 'while gone' });
    const batch = await h.until(() => h!.batchesFor(during.id)[0], 'the gap’s message');
    expect(batch.source).toBe('backfill');
    await h.until(() => h!.watcher.state === 'push', 'push again');
    const now = sim.control.channels().find((c) => c.id === h!.watcher.channelId)!;
    expect(now.id).not.toBe(old.id);
    expect(now.connected).toBe(true);
    expect([...now.topics].sort()).toEqual([...old.topics].sort());
    expect(h.states.slice(states)).toEqual(['connecting', 'push']);
    const after = sim.control.post({ as: support.colleague, room: support.room, body: 'back' });
    await h.until(() => h!.batchesFor(after.id)[0]?.source === 'push', 'push on the new channel');
  });

  it('opens a new channel before the old socket closes (socket_closing): no gap, no duplicate', async () => {
    h = await watchReady(sim);
    const support = colleagueIn(sim, 'Support Team');
    const old = h.watcher.channelId;
    const states = h.states.length;
    const syncs = h.synced.length;

    expect(sim.control.socketClosing({ graceMs: 1_500, userId: sim.demoUser.id })).toBe(1);
    await h.until(() => h!.watcher.channelId !== old && h!.watcher.channelId, 'the replacement channel');
    expect(sim.control.channels().find((c) => c.id === h!.watcher.channelId)?.connected).toBe(true);
    // We close the old socket ourselves, well before the server would (1.5 s).
    await h.until(
      () => sim.control.channels().find((c) => c.id === old)?.connected === false,
      'the old socket closed',
      1_000,
    );
    const posted = sim.control.post({ as: support.colleague, room: support.room, body: 'after the move' });
    await h.until(() => h!.batchesFor(posted.id).length, 'the message on the new channel');
    await sleep(150);
    expect(h.batchesFor(posted.id)).toHaveLength(1);
    expect(h.batchesFor(posted.id)[0]!.source).toBe('push');
    expect(h.states.slice(states)).toEqual([]); // never left 'push'
    expect(h.synced.length).toBe(syncs); // nothing was missed, so nothing was backfilled
  });

  it('after a resume, checks the socket and backfills what a sleeping machine did not read', async () => {
    const tap = new SocketTap();
    h = await watchReady(sim, { WebSocketImpl: tap.Impl });
    const eng = colleagueIn(sim, 'Engineering');
    tap.frozen = true; // asleep: frames are not read
    const missed = sim.control.post({ as: eng.colleague, room: eng.room, body: 'posted while asleep' });
    await sleep(100);
    tap.frozen = false;
    expect(h.batchesFor(missed.id)).toEqual([]);
    h.watcher.resync('resume');
    const batch = await h.until(() => h!.batchesFor(missed.id)[0], 'the missed message');
    expect(batch.source).toBe('backfill');
    expect(h.watcher.state).toBe('push');
  });

  it('notices a clock jump (sleep) by itself and backfills', async () => {
    const tap = new SocketTap();
    let shift = 0;
    h = await watchReady(sim, {
      WebSocketImpl: tap.Impl,
      now: () => Date.now() + shift,
      timings: { clockCheckMs: 50, clockJumpMs: 2_000 },
    });
    const support = colleagueIn(sim, 'Support Team');
    tap.frozen = true;
    const missed = sim.control.post({
      as: support.colleague,
      room: support.room,
      body: 'while the lid was shut',
    });
    await sleep(100);
    tap.frozen = false;
    shift += 30_000; // the wall clock moved on, the monotonic clock did not
    const batch = await h.until(() => h!.batchesFor(missed.id)[0], 'the missed message');
    expect(batch.source).toBe('backfill');
    expect(h.logs.some((l) => l.includes('resync (clock-jump)'))).toBe(true);
  });

  it('replaces a socket that went silent (no heartbeat within the timeout)', async () => {
    const tap = new SocketTap();
    h = await watchReady(sim, { WebSocketImpl: tap.Impl, timings: { heartbeatTimeoutMs: 600 } });
    const support = colleagueIn(sim, 'Support Team');
    const old = h.watcher.channelId;
    tap.frozen = true; // the connection is still up, but nothing arrives
    const during = sim.control.post({ as: support.colleague, room: support.room, body: 'into the void' });
    await sleep(700);
    tap.frozen = false;
    const batch = await h.until(() => h!.batchesFor(during.id)[0], 'the message lost in silence');
    expect(batch.source).toBe('backfill');
    expect(h.watcher.channelId).not.toBe(old);
    expect(h.logs.some((l) => l.includes('no frame for 600 ms'))).toBe(true);
  });
});
