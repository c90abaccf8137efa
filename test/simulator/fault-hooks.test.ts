// Control hooks the fault suite (test/faults) relies on: a cap on the Retry-After of 429s, so a
// 429 storm passes in seconds, and the real arrival time of every logged request, so rolling
// request windows can be counted even while the server's clock is shifted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import { call, startTestSimulator } from './helpers.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startTestSimulator({ rateLimitPerMinute: 100_000 });
});
afterAll(() => sim.close());

describe('rate limit: Retry-After cap', () => {
  it('caps the Retry-After of 429s until the faults are reset', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    sim.control.setRateLimit(1, { maxRetryAfterSeconds: 2 });
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
    const capped = await call(sim, 'GET', '/api/v2/users/me', { token });
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get('retry-after'))).toBe(2);

    // Without the cap the same token waits for its window (almost a minute here).
    sim.control.setRateLimit(1);
    const uncapped = await call(sim, 'GET', '/api/v2/users/me', { token });
    expect(uncapped.status).toBe(429);
    expect(Number(uncapped.headers.get('retry-after'))).toBeGreaterThan(50);

    sim.control.setRateLimit(1, { maxRetryAfterSeconds: 3 });
    sim.control.resetFaults(); // back to the configured limit, no cap
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
  });

  it('takes the cap over HTTP and refuses a bad one', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    const put = (body: unknown) => call(sim, 'PUT', '/_sim/rate-limit', { body });
    expect((await put({ perMinute: 1, maxRetryAfterSeconds: 0 })).status).toBe(400);
    expect((await put({ perMinute: 1, maxRetryAfterSeconds: 1 })).status).toBeLessThan(300);
    await call(sim, 'GET', '/api/v2/users/me', { token });
    const res = await call(sim, 'GET', '/api/v2/users/me', { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await put({ perMinute: null })).status).toBeLessThan(300);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
    sim.control.resetFaults();
  });
});

describe('request log: real arrival time', () => {
  it('records receivedAt in real time while `at` follows the shifted clock', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    sim.control.clearRequests();
    sim.control.setClockOffset(3_600_000);
    const before = Date.now();
    await call(sim, 'GET', '/api/v2/users/me', { token });
    const after = Date.now();
    sim.control.setClockOffset(0);
    const [entry] = sim.control.requests().entries;
    expect(entry?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(entry?.receivedAt).toBeLessThanOrEqual(after);
    expect(Date.parse(entry?.at ?? '') - (entry?.receivedAt ?? 0)).toBeGreaterThanOrEqual(3_599_000);
  });
});
