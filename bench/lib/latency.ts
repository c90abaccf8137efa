// Notification latency: from the moment the simulator has accepted a colleague's message (its
// `control.post` returned) to the moment the engine hands its notification to the notifier, both
// read with performance.now() in this one process.
import type { Simulator } from '../../src/simulator/index.ts';
import { startBenchEngine, type BenchEngine } from './engine.ts';
import { notifiableTargets, postNotifiable, quietSimulator, type Target } from './sim.ts';
import { jitter, log, median, percentile, round, sleep, until } from './util.ts';

export interface LatencyResult {
  samples: number[];
  byKind: { room: number[]; oneonone: number[] };
  p50: number;
  p99: number;
  max: number;
  /** Messages that never notified within the wait (counted, not sampled). */
  lost: number;
}

function summarise(samples: number[], byKind: LatencyResult['byKind'], lost: number): LatencyResult {
  return {
    samples,
    byKind,
    p50: round(percentile(samples, 50)),
    p99: round(percentile(samples, 99)),
    max: round(Math.max(...samples)),
    lost,
  };
}

/** One sample: post, wait for the notification, return the latency (undefined if it never came). */
async function sample(
  sim: Simulator,
  run: BenchEngine,
  target: Target,
  text: string,
  waitMs: number,
): Promise<number | undefined> {
  const id = postNotifiable(sim, target, text);
  const accepted = performance.now();
  try {
    const shown = await until(() => run.shownAt.get(id), `the notification of ${id}`, waitMs, 1);
    return shown - accepted;
  } catch {
    return undefined;
  }
}

export interface PushLatencyOptions {
  samples: number;
}

/**
 * Push: sequential samples, each sent after the previous one notified plus a random 20–80 ms.
 * Three in four are mentions in rooms (the room's message topic brings them), one in four direct
 * messages (a 1on1 has no message topic: its badge makes the engine read the chat's history).
 * A warm-up message per target first (not sampled): the first event of a room looks up who is in
 * it, the first of a sender reads their name; those are one-off costs per session.
 */
export async function measurePushLatency(opts: PushLatencyOptions): Promise<LatencyResult> {
  const sim = await quietSimulator({ seed: 3 });
  const run = await startBenchEngine(sim, { mode: 'push' });
  try {
    const targets = notifiableTargets(sim);
    const rooms = targets.filter((t) => t.kind === 'room');
    const directs = targets.filter((t) => t.kind === 'oneonone');
    for (const t of targets) await sample(sim, run, t, 'warm-up', 10_000);
    await sleep(500);
    const samples: number[] = [];
    const byKind: LatencyResult['byKind'] = { room: [], oneonone: [] };
    let lost = 0;
    for (let i = 0; i < opts.samples; i++) {
      const pool = i % 4 === 3 ? directs : rooms;
      const target = pool[i % pool.length]!;
      const ms = await sample(sim, run, target, `push sample ${i}: can you take a look?`, 10_000);
      if (ms === undefined) lost++;
      else {
        samples.push(ms);
        byKind[target.kind].push(ms);
      }
      await sleep(jitter(20, 80));
    }
    if (lost > 0) log(`push latency: ${lost} message(s) never notified`);
    return summarise(samples, byKind, lost);
  } finally {
    await run.stop();
    await sim.close();
  }
}

export interface PollLatencyResult extends LatencyResult {
  /** Median time between two poll ticks (roster reads) while sampling. */
  intervalMs: number;
  intervals: number[];
}

export interface PollLatencyOptions {
  samples: number;
  /** Mean gap between two messages (uniform in 0.4×..1.6× of it). */
  spacingMs: number;
}

/**
 * Polling at the engine's default cadence (push refused, so the watcher polls: 10 s, 5 s for two
 * minutes after a tick found messages, 30 s after ten quiet minutes). Messages arrive at random
 * moments, one every `spacingMs` on average, so they fall anywhere within a poll interval; each is
 * a sample once it notifies.
 */
export async function measurePollLatency(opts: PollLatencyOptions): Promise<PollLatencyResult> {
  const sim = await quietSimulator({ seed: 4 });
  const run = await startBenchEngine(sim, { mode: 'poll' });
  try {
    const targets = notifiableTargets(sim);
    sim.control.clearRequests();
    const posted: { id: string; at: number; kind: Target['kind'] }[] = [];
    for (let i = 0; i < opts.samples; i++) {
      const target = targets[i % targets.length]!;
      const id = postNotifiable(sim, target, `poll sample ${i}: when you have a minute`);
      posted.push({ id, at: performance.now(), kind: target.kind });
      await sleep(jitter(0.4 * opts.spacingMs, 1.6 * opts.spacingMs));
    }
    // The longest default interval a tick can wait is 30 s; give it that and a margin.
    await until(() => posted.every((p) => run.shownAt.has(p.id)), 'every polled message', 45_000, 50).catch(
      () => {},
    );
    const samples: number[] = [];
    const byKind: LatencyResult['byKind'] = { room: [], oneonone: [] };
    let lost = 0;
    for (const p of posted) {
      const shown = run.shownAt.get(p.id);
      if (shown === undefined) {
        lost++;
        continue;
      }
      samples.push(shown - p.at);
      byKind[p.kind].push(shown - p.at);
    }
    const ticks = sim.control
      .requests()
      .entries.filter((e) => e.method === 'GET' && e.route === '/api/v2/users/chats/me')
      .map((e) => e.receivedAt ?? Date.parse(e.at));
    const intervals = ticks.slice(1).map((t, i) => t - ticks[i]!);
    if (lost > 0) log(`poll latency: ${lost} message(s) never notified`);
    return { ...summarise(samples, byKind, lost), intervalMs: round(median(intervals), 0), intervals };
  } finally {
    await run.stop();
    await sim.close();
  }
}
