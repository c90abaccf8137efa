// Signing in again while the old watcher has not yet noticed the lost session (found by the fault
// suite, test/faults): the engine must end up with one watcher and one channel, and none after stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine } from '../support/engine-harness.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, quiet: true, heartbeatIntervalMs: 5000 });
});
afterAll(() => sim.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const connected = (): number =>
  sim.control.channels().filter((c) => c.connected && c.userId === sim.demoUser.id).length;

describe('engine: signing in again', () => {
  it('stops the previous watcher, so one channel stays open and none after stop', async () => {
    const run = await runEngine(sim);
    await run.until(
      (r) => r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null,
      5000,
      'push',
    );
    sim.control.revokeTokens(sim.demoUser.id);
    // The user signs in again at once (the outbox said so), before the watcher saw the revocation:
    // it is still reconnecting its dropped channel.
    await sleep(5);
    await run.engine.signIn();
    await run.until((r) => r.engine.state.get().connection === 'push', 5000, 'push after signing in');
    await sleep(1500); // time for a leftover watcher to reconnect with the new tokens
    expect(connected()).toBe(1);

    await run.stop();
    await sleep(300);
    expect(connected()).toBe(0);
    sim.control.clearRequests();
    await sleep(800);
    expect(sim.control.requests().entries).toEqual([]);
  });
});
