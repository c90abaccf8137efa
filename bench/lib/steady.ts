// Steady request rate: the engine watching N chats with nothing happening, push connected or push
// refused (polling). Every request the simulator receives in the window counts (API calls, token
// calls and socket opens), scaled to a minute. Each configuration has its own simulator, so the
// counts are its own; all run at the same time (they are idle, which is the point).
import type { Simulator } from '../../src/simulator/index.ts';
import { startBenchEngine, type BenchEngine } from './engine.ts';
import { quietSimulator, setChatCount } from './sim.ts';
import { round, sleep } from './util.ts';

export const CHAT_COUNTS = [10, 100, 1000] as const;
export type ChatCount = (typeof CHAT_COUNTS)[number];

export interface SteadyRun {
  mode: 'push' | 'poll';
  chats: ChatCount;
  /** Chats in the engine's roster (should equal `chats`). */
  engineChats: number;
  requests: number;
  windowMs: number;
  perMinute: number;
  byRoute: Record<string, number>;
}

export interface SteadyOptions {
  /** Quiet time after the engine is connected and synced, before counting starts. */
  settleMs: number;
  windowMs: number;
}

async function one(mode: 'push' | 'poll', chats: ChatCount, opts: SteadyOptions): Promise<SteadyRun> {
  const sim: Simulator = await quietSimulator({ seed: 5 });
  let run: BenchEngine | undefined;
  try {
    await setChatCount(sim, chats);
    run = await startBenchEngine(sim, { mode });
    await sleep(opts.settleMs);
    sim.control.clearRequests();
    const started = performance.now();
    await sleep(opts.windowMs);
    const { counters } = sim.control.requests();
    const windowMs = performance.now() - started;
    return {
      mode,
      chats,
      engineChats: run.engine.chats().length,
      requests: counters.total,
      windowMs: Math.round(windowMs),
      perMinute: round((counters.total * 60_000) / windowMs, 2),
      byRoute: counters.byRoute,
    };
  } finally {
    await run?.stop();
    await sim.close();
  }
}

export async function measureSteady(opts: SteadyOptions): Promise<SteadyRun[]> {
  const jobs: Promise<SteadyRun>[] = [];
  for (const mode of ['push', 'poll'] as const) for (const n of CHAT_COUNTS) jobs.push(one(mode, n, opts));
  return Promise.all(jobs);
}
