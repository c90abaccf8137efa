// The request budget: never more than the limit in any window, and the user's own actions go
// first, with a reserve background work cannot use.
import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('request budget', () => {
  it('holds background work at the limit minus the user reserve, and lets user actions through', async () => {
    const budget = new RequestBudget({ perMinute: 4, userReserve: 1, windowMs: 300 });
    for (let i = 0; i < 3; i++) await budget.acquire('background');
    let backgroundDone = false;
    const background = budget.acquire('background').then(() => (backgroundDone = true));
    await tick(20);
    expect(backgroundDone).toBe(false);
    await budget.acquire('user'); // the reserved slot
    expect(budget.used()).toBe(4);
    await background;
    expect(backgroundDone).toBe(true);
  });

  it('serves queued user actions before queued background work', async () => {
    const budget = new RequestBudget({ perMinute: 2, userReserve: 1, windowMs: 200 });
    await budget.acquire('user');
    await budget.acquire('user');
    const order: string[] = [];
    const b = budget.acquire('background').then(() => order.push('background'));
    const u = budget.acquire('user').then(() => order.push('user'));
    await Promise.all([b, u]);
    expect(order).toEqual(['user', 'background']);
  });

  it('pauses everything until a Retry-After has passed', async () => {
    const budget = new RequestBudget({ perMinute: 100, userReserve: 10 });
    const start = Date.now();
    budget.pauseUntil(start + 150);
    await budget.acquire('user');
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('drops a cancelled waiter without spending budget', async () => {
    const budget = new RequestBudget({ perMinute: 2, userReserve: 1, windowMs: 10_000 });
    await budget.acquire('background');
    const ac = new AbortController();
    const waiting = budget.acquire('background', ac.signal);
    ac.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(budget.used()).toBe(1);
  });
});
