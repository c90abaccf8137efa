// serialLoad: the customer-conversation views reload on every change without running two loads at
// once and without losing a change that came during a load.
import { describe, expect, it } from 'vitest';
import { serialLoad } from '../../src/renderer/src/lib/serial-load.ts';

describe('serialLoad', () => {
  it('runs one load at a time and one more after it for any number of asks made meanwhile', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const gates: (() => void)[] = [];
    const ask = serialLoad(async () => {
      runs++;
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
    });
    ask();
    ask();
    ask();
    ask();
    expect(runs).toBe(1);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2); // the three asks made during the first load: one more load
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    expect(most).toBe(1);
    ask();
    expect(runs).toBe(3);
    gates.shift()!();
  });

  it('keeps going after a load that fails', async () => {
    let runs = 0;
    const ask = serialLoad(async () => {
      runs++;
      if (runs === 1) throw new Error('no network');
    });
    ask();
    await new Promise((r) => setTimeout(r, 0));
    ask();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
  });
});
