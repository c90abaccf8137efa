// The main process's composition (startApp) with a fake shell, the real simulator as the demo org
// and the real store on a temp folder, plus the small waits and lookups its tests share.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppOptions, type RunningApp } from '../../src/main/app.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { openStore, type AppStore } from '../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import type { FakeShell } from './fake-shell.ts';

export { until } from './wait.ts';

export interface DemoApp {
  app: RunningApp;
  /** Set once the demo org has started (it starts inside startApp). */
  sim(): Simulator;
  store: AppStore;
  stop(): Promise<void>;
}

export function freshStore(): AppStore {
  return openStore({
    cwd: mkdtempSync(join(tmpdir(), 'gct-app-')),
    logger: { info() {}, warn() {}, error() {} },
  });
}

/** Starts the app on the demo org; `ready: false` returns before the engine has started. */
export async function startDemoApp(
  shell: FakeShell,
  opts: { seed?: number; ready?: boolean } & Partial<Pick<AppOptions, 'popupReleaseMs'>> = {},
): Promise<DemoApp> {
  const store = freshStore();
  let sim: Simulator | null = null;
  const app = await startApp({
    shell,
    store,
    preloadPath: '/app/out/preload/index.cjs',
    keyring: () => createMemorySecretStore(),
    ...(opts.popupReleaseMs !== undefined ? { popupReleaseMs: opts.popupReleaseMs } : {}),
    startDemoOrg: async () => {
      sim = await startSimulator({ port: 0, seed: opts.seed ?? 7, quiet: true });
      const started = sim;
      return { url: started.url, demoUserEmail: started.demoUser.email, close: () => started.close() };
    },
  });
  if (opts.ready !== false) await app.ready;
  return {
    app,
    store,
    sim: () => {
      if (!sim) throw new Error('the demo org has not started yet');
      return sim;
    },
    async stop() {
      await app.stop();
      store.close();
    },
  };
}

/** A colleague of the demo user and a room they share. */
export function sharedRoom(sim: Simulator): {
  colleague: Simulator['users'][number];
  room: { jid: string; name: string };
} {
  const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!;
  const room = sim.control
    .chats(sim.demoUser.id)
    .find(
      (c) =>
        c.kind === 'room' &&
        c.participants.includes(colleague.id) &&
        c.participants.includes(sim.demoUser.id),
    )!;
  return { colleague, room: { jid: room.jid!, name: room.name } };
}

type StatePayload = { connection: string; lastSyncAt: number | null; unread: number };
const lastState = (shell: FakeShell): StatePayload | undefined =>
  shell.popup.sent.filter((s) => s.channel === 'state:changed').at(-1)?.payload as StatePayload | undefined;

export const connection = (shell: FakeShell): string | undefined => lastState(shell)?.connection;

/** Push is up and a first sync has happened. */
export const synced = (shell: FakeShell): boolean => {
  const last = lastState(shell);
  return last?.connection === 'push' && last.lastSyncAt !== null;
};
