// The conversation's one refresh path, on a fake clock: asks made together are one run, an ask
// made during a run gets one run after it, and nothing runs once stopped.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshScheduler, type RefreshNeed } from '../../src/renderer/src/lib/refresh-scheduler.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function scheduler(): { s: RefreshScheduler; runs: RefreshNeed[]; finish: () => void } {
  const runs: RefreshNeed[] = [];
  let finish = (): void => {};
  const s = new RefreshScheduler(
    (need) =>
      new Promise<void>((ok) => {
        runs.push(need);
        finish = ok;
      }),
    150,
  );
  return { s, runs, finish: () => finish() };
}

describe('RefreshScheduler', () => {
  it('waits for a burst of activity to end, then runs once', async () => {
    const { s, runs } = scheduler();
    s.ask({ history: true }, 'soon');
    await vi.advanceTimersByTimeAsync(100);
    s.ask({ history: true }, 'soon');
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(60);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.history).toBe(true);
  });

  it('runs at once for a `now` ask, taking in the activity that waited', async () => {
    const { s, runs } = scheduler();
    s.ask({ history: true }, 'soon');
    s.ask({ want: ['m1'], pins: true }, 'now');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([{ history: true, want: new Set(['m1']), pins: true }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
  });

  it('gives asks made during a run one run after it, never two at once', async () => {
    const { s, runs, finish } = scheduler();
    s.ask({ history: true }, 'now');
    await vi.advanceTimersByTimeAsync(0);
    s.ask({ want: ['m2'] }, 'now');
    s.ask({ history: true }, 'soon');
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toEqual({ history: true, want: new Set(['m2']), pins: false });
  });

  it('runs nothing once stopped', async () => {
    const { s, runs } = scheduler();
    s.ask({ history: true }, 'soon');
    s.stop();
    s.ask({ history: true }, 'now');
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([]);
  });
});
