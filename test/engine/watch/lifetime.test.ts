// The channel over time: a server that sends no heartbeats gets its socket replaced by the watchdog,
// and a channel is re-subscribed before it expires so it lives on.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, sleep, watch, watchReady, type Harness } from './harness.ts';

let sim: Simulator | undefined;
let h: Harness | undefined;

afterEach(async () => {
  h?.stop();
  h = undefined;
  await sim?.close();
  sim = undefined;
});

describe('Watcher over a channel’s life', () => {
  it('replaces a silent socket (no heartbeat within heartbeatTimeoutMs) and backfills', async () => {
    sim = await startSimulator({ seed: 25, quiet: true, heartbeatIntervalMs: 60_000 });
    const s = sim;
    // The socket opens and subscribes, then hears nothing; the first sync still completes.
    h = await watch(s, { timings: { heartbeatTimeoutMs: 400 } });
    await h.until(() => h!.synced.length > 0, 'the first sync');
    const first = h.watcher.channelId;
    await h.until(() => h!.watcher.channelId && h!.watcher.channelId !== first, 'a new channel', 2_000);
    expect(h.logs.some((l) => l.includes('no frame for 400 ms'))).toBe(true);
    await h.until(() => h!.watcher.state === 'push', 'push again');
    // Messages still arrive (events flow even without heartbeats).
    const { room, colleague } = colleagueIn(s, 'Support Team');
    const posted = s.control.post({ as: colleague, room, body: 'anyone?' });
    await h.until(() => h!.batchesFor(posted.id).length > 0, 'the message');
  });

  it('re-subscribes before the channel expires, so the same channel keeps working', async () => {
    sim = await startSimulator({ seed: 26, quiet: true, heartbeatIntervalMs: 200, channelLifetimeMs: 1_500 });
    const s = sim;
    h = await watchReady(s);
    const channel = h.watcher.channelId;
    const expiresAt = Date.parse(s.control.channels().find((c) => c.id === channel)!.expires);
    await sleep(2_200); // past the first expiry
    expect(Date.now()).toBeGreaterThan(expiresAt);
    expect(h.watcher.channelId).toBe(channel);
    const live = s.control.channels().find((c) => c.id === channel);
    expect(live?.connected).toBe(true);
    expect(Date.parse(live!.expires)).toBeGreaterThan(expiresAt);
    const { room, colleague } = colleagueIn(s, 'Engineering');
    const posted = s.control.post({ as: colleague, room, body: 'still subscribed' });
    expect((await h.until(() => h!.batchesFor(posted.id)[0], 'the message')).source).toBe('push');
  });
});
