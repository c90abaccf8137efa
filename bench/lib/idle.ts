// Idle cost: the headless runner (the engine as shipped, in plain Node) against a quiet simulator,
// push connected, no traffic. CPU from /proc/<pid>/stat over the window; RSS sampled from
// /proc/<pid>/status every 5 s, the highest sample reported.
import { clockTicks, cpuMs, memoryMb, startHeadless } from './child.ts';
import { quietSimulator } from './sim.ts';
import { round, sleep } from './util.ts';

export interface IdleResult {
  seconds: number;
  rssMb: number;
  rssMinMb: number;
  peakMb: number;
  cpuMs: number;
  cpuPercent: number;
  /** Resolution of the CPU figure. */
  tickMs: number;
  chats: number;
}

export interface IdleOptions {
  seconds: number;
  /** Quiet time after the runner reports push and synced, before the window starts. */
  settleMs: number;
  /** Run this bundle of the runner (bundle.ts) instead of `npm run headless`. */
  bundle?: string;
}

export async function measureIdle(opts: IdleOptions): Promise<IdleResult> {
  const sim = await quietSimulator({ seed: 6 });
  const child = startHeadless(sim.url, opts.bundle ? { bundle: opts.bundle } : {});
  try {
    await child.waitForLine(
      (l) => l.type === 'state' && l.connection === 'push' && l.synced === true,
      'the headless runner to be connected and synced',
      60_000,
    );
    await sleep(opts.settleMs);
    const cpu0 = cpuMs(child.pid);
    const t0 = performance.now();
    const rss: number[] = [memoryMb(child.pid).rss];
    while (performance.now() - t0 < opts.seconds * 1000) {
      await sleep(Math.min(5_000, opts.seconds * 1000 - (performance.now() - t0)));
      rss.push(memoryMb(child.pid).rss);
    }
    const used = cpuMs(child.pid) - cpu0;
    const elapsed = performance.now() - t0;
    return {
      seconds: opts.seconds,
      rssMb: round(Math.max(...rss)),
      rssMinMb: round(Math.min(...rss)),
      peakMb: round(memoryMb(child.pid).peak),
      cpuMs: Math.round(used),
      cpuPercent: round((used / elapsed) * 100, 3),
      tickMs: 1000 / clockTicks(),
      chats: sim.control.chats(sim.demoUser.id).length,
    };
  } finally {
    await child.stop();
    await sim.close();
  }
}
