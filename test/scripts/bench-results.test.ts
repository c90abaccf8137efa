// The bench's catch-up figure: the median of the runs without a rate limit, and every run's
// duplicates and misses counted (a duplicate in a run that is not the median must still show).
import { describe, expect, it } from 'vitest';
import type { CatchupRun } from '../../bench/lib/catchup.ts';
import { medianRun, table, toLatest } from '../../bench/lib/results.ts';

function run(cpuMs: number, extra: Partial<CatchupRun> = {}): CatchupRun {
  return {
    limit: 'lifted',
    chats: 200,
    messages: 10_000,
    requests: 212,
    byRoute: {},
    byStatus: {},
    cpuMs,
    wallMs: cpuMs * 100,
    halfMs: 300,
    peakRssMb: cpuMs / 10,
    rssBeforeMb: 90,
    sleepMs: 2_000,
    longestPauseMs: 56_000,
    notifications: 200,
    duplicates: 0,
    missed: 0,
    unexpected: 0,
    ...extra,
  };
}

describe('the catch-up figure', () => {
  it('is the median run of three, its wall time and peak memory with it', () => {
    const lifted = [run(840), run(470), run(560)];
    const latest = toLatest({ catchup: { lifted, limited: run(700, { limit: 'default' }) } }, [0, 0, 0]);
    expect(medianRun(lifted).cpuMs).toBe(560);
    expect(latest.catchup).toMatchObject({
      engine_cpu_ms: 560,
      engine_cpu_ms_runs: [840, 470, 560],
      wall_ms: 56_000,
      peak_rss_mb: 56,
    });
  });

  it('counts a duplicate or a miss of any run, not only of the median one', () => {
    const lifted = [run(400), run(500, { duplicates: 1 }), run(900, { missed: 2, unexpected: 1 })];
    const m = { catchup: { lifted, limited: run(450, { limit: 'default' as const }) } };
    expect(toLatest(m, [0, 0, 0]).catchup).toMatchObject({ engine_cpu_ms: 500, duplicates: 1, missed: 2 });
    const row = table(m)
      .split('\n')
      .find((line) => line.includes('no rate limit) duplicates'));
    expect(row).toContain('1 / 2');
    expect(row).toContain('MISSED');
  });

  it('refuses to take the median of no run', () => {
    expect(() => medianRun([])).toThrow(/no catch-up run/);
  });
});
