// When Genesys Cloud says no: a revoked token stops everything (no request loop) until a manual
// resync, rate limits and server errors are ridden out, and a lost network shows as offline.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketCtor } from '../../../src/main/engine/watch/types.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, failingSocket, sleep, watchReady, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 24, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
  sim.control.resetFaults();
});
afterAll(() => sim.close());

describe('Watcher when things fail', () => {
  it('stops on a revoked token it cannot refresh, sends nothing more, retries only on demand', async () => {
    h = await watchReady(sim);
    sim.control.revokeTokens(sim.demoUser.id);
    await h.until(() => h!.watcher.state === 'needs-sign-in', 'needs-sign-in');
    await sleep(100);
    sim.control.clearRequests();
    await sleep(800);
    h.watcher.resync('online');
    h.watcher.resync('clock-jump');
    await sleep(200);
    expect(sim.control.requests().counters.total).toBe(0);
    expect(sim.control.channels().filter((c) => c.connected)).toEqual([]);

    h.watcher.resync('manual'); // the user signed in again (here: still the revoked token)
    await sleep(300);
    expect(h.watcher.state).toBe('needs-sign-in');
    const total = sim.control.requests().counters.total;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(2);
  });

  it('rides out 429s: keeps its state consistent and catches up once the limit lifts', async () => {
    h = await watchReady(sim, {
      // The simulator asks to wait up to a minute; this clock makes the HTTP client's wait already
      // over, so the 429s reach the watcher quickly instead of stalling the test.
      httpNow: () => Date.now() - 10 * 60_000,
      timings: { pushRetryMs: 500 },
    });
    const { room, colleague } = colleagueIn(sim, 'Support Team');
    sim.control.setRateLimit(1);
    sim.control.dropSockets();
    const during = sim.control.post({ as: colleague, room, body: 'posted while rate limited' });
    await h.until(() => h!.logs.some((l) => l.includes('rate limiting')), 'a 429 reaching the watcher');
    await sleep(300);
    expect(h.batchesFor(during.id)).toEqual([]);
    expect(['connecting', 'polling']).toContain(h.watcher.state);
    expect(sim.control.requests().counters.byStatus['429']).toBeGreaterThan(0);

    sim.control.setRateLimit(null);
    const batch = await h.until(
      () => h!.batchesFor(during.id)[0],
      'the message after the limit lifted',
      4_000,
    );
    expect(batch.source).not.toBe('push');
    await h.until(() => h!.live(), 'push again', 4_000);
    const after = sim.control.post({ as: colleague, room, body: 'all good' });
    expect((await h.until(() => h!.batchesFor(after.id)[0], 'a pushed message')).source).toBe('push');
    expect(h.fresh.map((m) => m.id)).toEqual([during.id, after.id]);
  });

  it('retries a backfill that hit server errors', async () => {
    h = await watchReady(sim);
    const { room, colleague } = colleagueIn(sim, 'Engineering');
    sim.control.failNext(6, 503); // more than the HTTP client's own retries
    sim.control.dropSockets();
    const during = sim.control.post({ as: colleague, room, body: 'behind a 503' });
    const batch = await h.until(() => h!.batchesFor(during.id)[0], 'the message after the 503s');
    expect(batch.source).toBe('backfill');
    expect(sim.control.requests().counters.byStatus['503']).toBeGreaterThanOrEqual(6);
    expect(h.watcher.state).toBe('push');
  });

  it('shows offline while the network is gone, and backfills when it is back', async () => {
    let down = false;
    const realFetch = globalThis.fetch.bind(globalThis);
    const fetchImpl: typeof fetch = (...args) =>
      down ? Promise.reject(new TypeError('fetch failed')) : realFetch(...args);
    const failing = failingSocket({ count: 0 });
    const Socket = function (url: string) {
      return down ? new failing(url) : new globalThis.WebSocket(url);
    } as unknown as WebSocketCtor;
    h = await watchReady(sim, { fetch: fetchImpl, WebSocketImpl: Socket });
    const { room, colleague } = colleagueIn(sim, 'Support Team');

    down = true;
    sim.control.dropSockets();
    await h.until(() => h!.watcher.state === 'offline', 'offline');
    const during = sim.control.post({ as: colleague, room, body: 'sent while you were offline' });
    await sleep(200);
    expect(h.watcher.state).toBe('offline');
    expect(h.batchesFor(during.id)).toEqual([]);

    down = false;
    h.watcher.resync('online');
    const batch = await h.until(() => h!.batchesFor(during.id)[0], 'the message once back online');
    expect(batch.source).toBe('backfill');
    await h.until(() => h!.watcher.state === 'push', 'push again');
  });

  it('stop() leaves nothing running: no requests, no sockets', async () => {
    h = await watchReady(sim);
    h.watcher.stop();
    expect(h.watcher.state).toBe('offline');
    await sleep(100);
    sim.control.clearRequests();
    sim.control.dropSockets();
    await sleep(500);
    expect(sim.control.requests().counters.total).toBe(0);
    expect(sim.control.channels().filter((c) => c.connected)).toEqual([]);
  });
});
