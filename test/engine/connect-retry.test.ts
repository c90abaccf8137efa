// An engine that starts (or signs in) while Genesys Cloud answers only errors keeps trying to connect
// by itself (found by the fault suite, test/faults: a 5xx burst during a restart left it offline for
// good, since only a connected engine has a watcher that retries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { AuthSession } from '../../src/main/auth/session.ts';
import { createEngine } from '../../src/main/engine/compose.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { resolveEnvironment } from '../../src/main/genesys/environment.ts';
import { openStore } from '../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { FAST, runEngine } from '../support/engine-harness.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, quiet: true, heartbeatIntervalMs: 5000 });
});
afterAll(() => sim.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('engine: connecting while Genesys Cloud fails', () => {
  it('keeps trying after a failed start and catches up once it answers again', async () => {
    const first = await runEngine(sim);
    await first.until(
      (r) => r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null,
      5000,
      'push',
    );
    await first.stop();

    // While the app is closed a colleague writes; when it starts, the API fails its first requests
    // (GET /users/me: 4 attempts, then 2 more for the first retry).
    const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!;
    const dm = sim.control.post({ as: colleague.id, toUser: sim.demoUser.id, body: 'are you there?' });
    sim.control.failNext(6, 503);

    const env = resolveEnvironment(sim.url);
    const store = openStore({ cwd: first.dir, logger: { info() {}, warn() {}, error() {} } });
    const shown: NotificationOut[] = [];
    const engine = createEngine({
      env,
      demo: true,
      session: new AuthSession({
        env,
        clientId: 'gct-engine-test',
        secrets: first.secrets,
        loopbackPort: 0,
        openBrowser: (url) => followAuthorizeRedirect(url),
      }),
      store,
      notifier: { show: (n) => shown.push(n), withdraw: () => {} },
      watcherTimings: FAST,
      saveDebounceMs: 20,
    });
    try {
      await expect(engine.start()).rejects.toThrow();
      expect(engine.state.get().connection).toBe('offline');

      // Nobody signs in again or restarts it: it connects and catches up on its own.
      const end = Date.now() + 10_000;
      while (!shown.some((n) => n.messageIds.includes(dm.id)) && Date.now() < end) await sleep(25);
      expect(engine.state.get().connection).toBe('push');
      expect(shown.filter((n) => n.messageIds.includes(dm.id))).toHaveLength(1);
    } finally {
      await engine.stop();
      store.close();
    }
  });
});
