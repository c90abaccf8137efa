// The real engine (createEngine: session, watcher, ledger, rules, outbox, store on real files) in this
// process, signed in to a simulator the way the demo org signs in, with the engine's DEFAULT timings
// and budget. The notifier is wrapped to timestamp each decision with performance.now(), the same
// clock the simulator side of a benchmark reads when `control.post` returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { AuthSession } from '../../src/main/auth/session.ts';
import { createEngine } from '../../src/main/engine/compose.ts';
import type { Engine } from '../../src/main/engine/engine.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { resolveEnvironment } from '../../src/main/genesys/environment.ts';
import { openStore, type AppStore } from '../../src/main/store/store.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { Tail, until } from './util.ts';

export interface BenchEngine {
  engine: Engine;
  /** Message id → performance.now() when the engine first handed a notification with it to the notifier. */
  shownAt: Map<string, number>;
  shown: NotificationOut[];
  logs: Tail;
  stop(): Promise<void>;
}

export interface BenchEngineOptions {
  /**
   * 'poll' makes push unavailable the way a proxy that blocks the notification socket does: the
   * channel's connectUri host is not one the engine may open, so the watcher polls (and tries push
   * again every 5 minutes, as it would in the field).
   */
  mode: 'push' | 'poll';
}

export async function startBenchEngine(sim: Simulator, opts: BenchEngineOptions): Promise<BenchEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'gct-bench-'));
  const logs = new Tail(300);
  const log = (m: string): void => logs.push(m);
  const store: AppStore = openStore({ cwd: dir, logger: { info: log, warn: log, error: log } });
  const resolved = resolveEnvironment(sim.url);
  const env = opts.mode === 'poll' ? { ...resolved, streamingHosts: [] } : resolved;
  const session = new AuthSession({
    env,
    clientId: 'gct-bench',
    secrets: createMemorySecretStore(),
    loopbackPort: 0,
    loginHint: sim.demoUser.email,
    openBrowser: (url) => followAuthorizeRedirect(url),
    log,
  });
  const shownAt = new Map<string, number>();
  const shown: NotificationOut[] = [];
  const engine = createEngine({
    env,
    demo: true,
    session,
    store,
    log,
    notifier: {
      show: (n) => {
        const at = performance.now();
        for (const id of n.messageIds) if (!shownAt.has(id)) shownAt.set(id, at);
        shown.push(n);
      },
      withdraw: () => {},
    },
  });
  await engine.start();
  const c = engine.state.get().connection;
  if (c === 'signed-out' || c === 'needs-sign-in') await engine.signIn();
  const wanted = opts.mode === 'push' ? 'push' : 'polling';
  try {
    await until(
      () => engine.state.get().connection === wanted && engine.state.get().lastSyncAt !== null,
      `the engine to be ${wanted} and synced`,
      60_000,
      20,
    );
  } catch (err) {
    await engine.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${logs.text()}`, { cause: err });
  }
  return {
    engine,
    shownAt,
    shown,
    logs,
    async stop() {
      await engine.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
