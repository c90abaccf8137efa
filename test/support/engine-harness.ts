// Runs the real engine (session, watcher, ledger, rules, outbox, store on real files) against a
// simulator, collecting what it would show the user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore, type SecretStore } from '../../src/main/auth/secret-store.ts';
import { AuthSession } from '../../src/main/auth/session.ts';
import { createEngine } from '../../src/main/engine/compose.ts';
import type { Engine } from '../../src/main/engine/engine.ts';
import type { EngineSnapshot } from '../../src/main/engine/engine-state.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import type { NetworkPort } from '../../src/main/engine/ports.ts';
import type { SourceFactory } from '../../src/main/engine/sources/source.ts';
import type { WatcherTimings, WebSocketCtor } from '../../src/main/engine/watch/types.ts';
import { resolveEnvironment } from '../../src/main/genesys/environment.ts';
import { openStore, type AppStore } from '../../src/main/store/store.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export interface EngineRun {
  engine: Engine;
  store: AppStore;
  dir: string;
  secrets: SecretStore;
  shown: NotificationOut[];
  withdrawn: string[];
  logs: string[];
  /** Waits until `predicate` holds for the engine's state or what was shown, or throws after `ms`. */
  until(predicate: (run: EngineRun) => boolean, ms?: number, what?: string): Promise<void>;
  stop(): Promise<void>;
}

export const FAST: Partial<WatcherTimings> = {
  reconnectMinMs: 50,
  reconnectMaxMs: 300,
  pollBaseMs: 300,
  pollFastMs: 300,
  pollSlowMs: 600,
  pollFloorMs: 200,
  clockCheckMs: 1000,
};

export async function runEngine(
  sim: Simulator,
  opts: {
    dir?: string;
    secrets?: SecretStore;
    user?: string;
    timings?: Partial<WatcherTimings>;
    budget?: { perMinute: number; userReserve: number };
    webSocketImpl?: WebSocketCtor;
    /** The base URL to reach the simulator by (a proxy in front of it); default its own. */
    url?: string;
    /** Sign in again by itself when the session ends (as the demo org does). */
    autoSignIn?: boolean;
    /** false: build the engine but leave start() (and signing in) to the test. */
    start?: boolean;
    settingsWaitMs?: number;
    /** Every connection through this network (a proxy between the engine and the simulator). */
    network?: NetworkPort;
    /** Sign in when there is no session (default true). */
    signIn?: boolean;
    /** Sources watched beside chats (a test-only source). */
    sources?: SourceFactory[];
  } = {},
): Promise<EngineRun> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'gct-engine-'));
  const logs: string[] = [];
  const log = (m: string): void => {
    logs.push(m);
  };
  const store = openStore({ cwd: dir, logger: { info: log, warn: log, error: log } });
  const secrets = opts.secrets ?? createMemorySecretStore();
  const env = resolveEnvironment(opts.url ?? sim.url);
  const session = new AuthSession({
    env,
    clientId: 'gct-engine-test',
    secrets,
    loopbackPort: 0,
    loginHint: opts.user ?? sim.demoUser.email,
    openBrowser: (url) => followAuthorizeRedirect(url, opts.network?.fetch),
    log,
    ...(opts.network ? { fetch: opts.network.fetch } : {}),
  });
  const shown: NotificationOut[] = [];
  const withdrawn: string[] = [];
  const engine = createEngine({
    env,
    demo: true,
    session,
    store,
    log,
    notifier: { show: (n) => shown.push(n), withdraw: (ids) => withdrawn.push(...ids) },
    watcherTimings: { ...FAST, ...opts.timings },
    ...(opts.budget ? { budget: opts.budget } : {}),
    ...(opts.webSocketImpl ? { webSocketImpl: opts.webSocketImpl } : {}),
    ...(opts.autoSignIn ? { autoSignIn: true } : {}),
    ...(opts.settingsWaitMs !== undefined ? { settingsWaitMs: opts.settingsWaitMs } : {}),
    ...(opts.network ? { network: opts.network } : {}),
    ...(opts.sources ? { sources: opts.sources } : {}),
    saveDebounceMs: 20,
  });
  const run: EngineRun = {
    engine,
    store,
    dir,
    secrets,
    shown,
    withdrawn,
    logs,
    async until(predicate, ms = 5000, what = 'condition') {
      const end = Date.now() + ms;
      while (!predicate(run)) {
        if (Date.now() > end) {
          throw new Error(
            `timed out waiting for ${what}; state ${JSON.stringify(brief(engine.state.get()))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      await engine.stop();
      store.close();
    },
  };
  if (opts.start === false) return run;
  await engine.start();
  if (opts.signIn === false) return run;
  if (engine.state.get().connection !== 'push' && engine.state.get().connection !== 'connecting') {
    if (['signed-out', 'needs-sign-in'].includes(engine.state.get().connection)) await engine.signIn();
  }
  return run;
}

function brief(s: EngineSnapshot): unknown {
  return {
    connection: s.connection,
    unread: s.unread,
    outbox: s.outbox.map((o) => o.state),
    notice: s.notice,
  };
}
