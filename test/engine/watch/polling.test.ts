// Without push (a connectUri the app refuses, sockets that never connect) the watcher polls the roster
// and still brings every message; when push works again it goes back to push.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketCtor } from '../../../src/main/engine/watch/types.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, failingSocket, sleep, watch, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 23, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
});
afterAll(() => sim.close());

describe('Watcher without push', () => {
  it('refuses an untrusted connectUri host, polls, and brings a mention within one interval', async () => {
    h = await watch(sim, { allowedSocketHosts: ['streaming.mypurecloud.com'] });
    await h.until(() => h!.watcher.state === 'polling' && h!.synced.length > 0, 'polling');
    expect(h.logs.some((l) => l.includes('host 127.0.0.1 is not allowed'))).toBe(true);
    expect(sim.control.channels().filter((c) => c.connected)).toEqual([]);

    const { room, colleague } = colleagueIn(sim, 'Support Team');
    const started = Date.now();
    const posted = sim.control.post({
      as: colleague,
      room,
      body: '@Alex can you look?',
      mentions: [sim.demoUser.id],
    });
    const batch = await h.until(() => h!.batchesFor(posted.id)[0], 'the mention', 400 + 300);
    expect(Date.now() - started).toBeLessThan(400 + 300);
    expect(batch.source).toBe('poll');
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]!.type === 'created' && batch.events[0]!.message.mentions).toContain(
      sim.demoUser.id,
    );
    expect(h.fresh.map((m) => m.id)).toEqual([posted.id]);
  });

  it('polls cheaply: one roster read per tick while nothing happens', async () => {
    h = await watch(sim, {
      allowedSocketHosts: [],
      timings: { pollBaseMs: 200, pollFastMs: 200, pollSlowMs: 200, pollFloorMs: 200 },
    });
    await h.until(() => h!.watcher.state === 'polling' && h!.synced.length > 0, 'polling');
    await sleep(50);
    const before = h.http.sent;
    await sleep(1_000);
    const sent = h.http.sent - before;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(6); // ~5 ticks of one request each, no history reads

    // A chat whose last message was deleted still shows that date in the roster: read once, not forever.
    const { room, colleague } = colleagueIn(sim, 'Watercooler');
    const gone = sim.control.post({ as: colleague, room, body: 'oops' });
    sim.control.delete({ as: colleague, messageId: gone.id });
    await sleep(500);
    const again = h.http.sent;
    await sleep(1_000);
    expect(h.http.sent - again).toBeLessThanOrEqual(6);
    expect(h.batchesFor(gone.id)).toEqual([]);
  });

  it('falls back to polling when the socket never connects, and returns to push when it does', async () => {
    const attempts = { count: 0 };
    const failing = failingSocket(attempts);
    let allowPush = false;
    const Switchable = function (url: string) {
      return allowPush ? new globalThis.WebSocket(url) : new failing(url);
    } as unknown as WebSocketCtor;
    h = await watch(sim, { WebSocketImpl: Switchable, timings: { pushRetryMs: 600 } });
    // On a first run everything before the first roster read is history: wait for that read.
    await h.until(
      () => h!.watcher.state === 'polling' && h!.synced.length > 0,
      'polling after failed sockets',
    );
    expect(attempts.count).toBe(3);

    const { room, colleague } = colleagueIn(sim, 'Engineering');
    const polled = sim.control.post({ as: colleague, room, body: 'polled' });
    expect((await h.until(() => h!.batchesFor(polled.id)[0], 'a polled message')).source).toBe('poll');

    allowPush = true;
    await h.until(() => h!.live(), 'push again', 3_000);
    const pushed = sim.control.post({ as: colleague, room, body: 'pushed' });
    expect((await h.until(() => h!.batchesFor(pushed.id)[0], 'a pushed message')).source).toBe('push');
    await sleep(500); // no poll ticks any more
    expect(h.batches.filter((b) => b.source === 'poll').map((b) => b.events.length)).toEqual([1]);
  });
});
