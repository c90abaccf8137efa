// The watcher's clocks, without waiting for them: how often it polls when busy or quiet, when it
// decides the machine slept, and which socket addresses it refuses.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/main/engine/watch/backoff.ts';
import { ClockWatch } from '../../../src/main/engine/watch/clock-watch.ts';
import { Poller } from '../../../src/main/engine/watch/poller.ts';
import { refuseConnectUri } from '../../../src/main/engine/push/socket-policy.ts';
import { defaultTimings } from '../../../src/main/engine/watch/types.ts';

describe('poll cadence', () => {
  it('polls every 10 s, every 5 s for 2 min after activity, every 30 s after 10 quiet minutes', async () => {
    let now = 1_000_000;
    let messages = 0;
    const poller = new Poller({
      timings: defaultTimings,
      tick: async () => ({ ok: true, messages }),
      now: () => now,
      random: () => 1,
    });
    poller.start();
    await Promise.resolve();
    expect(poller.nextDelay()).toBe(10_000);
    poller.kick(); // a resync: something may have happened
    expect(poller.nextDelay()).toBe(5_000);
    now += 2 * 60_000;
    expect(poller.nextDelay()).toBe(10_000);
    now += 10 * 60_000;
    expect(poller.nextDelay()).toBe(30_000);
    messages = 3;
    poller.kick();
    await new Promise((r) => setTimeout(r, 0));
    expect(poller.nextDelay()).toBe(5_000);
    poller.stop();
  });

  it('never polls tighter than the floor, and backs off while ticks fail', async () => {
    const poller = new Poller({
      timings: { ...defaultTimings, pollFastMs: 100, pollBaseMs: 100, pollSlowMs: 100 },
      tick: async () => ({ ok: false }),
      now: () => 0,
      random: () => 1,
    });
    expect(poller.nextDelay()).toBe(5_000); // 12 roster reads a minute at most
    poller.start();
    await new Promise((r) => setTimeout(r, 0));
    poller.stop();
    expect(poller.nextDelay()).toBe(5_000);
    expect(backoffDelay(1, { minMs: 1_000, maxMs: 60_000 }, () => 0)).toBe(500);
    expect(backoffDelay(7, { minMs: 1_000, maxMs: 60_000 }, () => 1)).toBe(60_000);
    expect(backoffDelay(99, { minMs: 1_000, maxMs: 60_000 }, () => 0.5)).toBe(45_000);
  });
});

describe('sleep detection', () => {
  it('reports a wall-clock jump or a check that ran far too late, not ordinary drift', () => {
    let wall = 0;
    let mono = 0;
    const jumps: string[] = [];
    const watch = new ClockWatch({
      checkMs: 5_000,
      jumpMs: 10_000,
      onJump: (d) => jumps.push(d),
      now: () => wall,
      monotonic: () => mono,
    });
    watch.start();
    watch.stop();
    wall += 5_000;
    mono += 5_050;
    watch.check();
    expect(jumps).toEqual([]);
    wall += 3_600_000; // suspended for an hour: the monotonic clock stood still
    mono += 5_000;
    watch.check();
    expect(jumps).toHaveLength(1);
    wall += 60_000; // both clocks ran, but the 5 s check came a minute late
    mono += 60_000;
    watch.check();
    expect(jumps).toHaveLength(2);
    wall -= 30_000; // the user set the clock back
    mono += 5_000;
    watch.check();
    expect(jumps).toHaveLength(3);
  });
});

describe('socket addresses', () => {
  const hosts = ['streaming.mypurecloud.com', '127.0.0.1'];
  it('accepts wss to an allowed host and ws only on loopback', () => {
    expect(refuseConnectUri('wss://streaming.mypurecloud.com/channels/x', hosts)).toBeNull();
    expect(refuseConnectUri('ws://127.0.0.1:4321/channels/x', hosts)).toBeNull();
  });
  it('refuses other hosts, plain ws off loopback, other schemes, credentials and junk', () => {
    expect(refuseConnectUri('wss://evil.example/channels/x', hosts)).toMatch(/not allowed/);
    expect(refuseConnectUri('wss://streaming.mypurecloud.com.evil.example/x', hosts)).toMatch(/not allowed/);
    expect(refuseConnectUri('ws://streaming.mypurecloud.com/channels/x', hosts)).toMatch(/ws:/);
    expect(refuseConnectUri('https://streaming.mypurecloud.com/x', hosts)).toMatch(/https:/);
    expect(refuseConnectUri('wss://u:p@streaming.mypurecloud.com/x', hosts)).toMatch(/credentials/);
    expect(refuseConnectUri('not a url', hosts)).toMatch(/not a URL/);
  });
});
