// Playwright harness for the built renderer in plain Chromium, without Electron:
//
// - serves out/renderer/ (from `npm run build`) on 127.0.0.1 through the app scheme's own handler
//   (src/main/shell/app-protocol.ts, which the packaged app registers for gct://popup/): the same
//   files, MIME types, `nosniff` and CSP header, the same refusals, so the page loads and renders
//   under the rules it meets in the app (a standard, secure origin of its own);
// - installs a TEST-ONLY stand-in for the preload: `window.gct` with exactly the RendererBridge
//   shape (invoke + on). `invoke` crosses to Node through page.exposeBinding and runs the REAL
//   validating dispatcher over the REAL handlers, createDispatcher(createInvokeHandlers(deps)),
//   with deps given by the test; `emit` pushes an event to the page's `on` listeners;
// - `shot(page, name)` saves test/artifacts/screenshots/<name>.png.
//
// Nothing here ships: the app's preload (src/preload/index.ts) is the only bridge in production.
import { mkdtempSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import {
  BRIDGE_KEY,
  eventChannels,
  isEventChannel,
  type AppInfo,
  type EventChannel,
  type EventOf,
  type IpcResult,
} from '../../src/shared/ipc/contract.ts';
import { createDispatcher } from '../../src/shared/ipc/dispatcher.ts';
import { createInvokeHandlers, type HandlerDeps } from '../../src/main/ipc/handlers.ts';
import { AppController, type ControllerPort } from '../../src/main/controller.ts';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore, type SecretStore } from '../../src/main/auth/secret-store.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { toStateView } from '../../src/main/ipc/views.ts';
import type { Network } from '../../src/main/net/network.ts';
import { openStore } from '../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { initialSnapshot } from '../../src/main/engine/engine-state.ts';
import { APP_HOST, APP_SCHEME, createAppProtocolHandler } from '../../src/main/shell/app-protocol.ts';

/** Handler deps for tests that only need some: a controller with no engine (signed out). */
export type TestDeps = Pick<HandlerDeps, 'appInfo'> & Partial<HandlerDeps>;

export function idleController(): ControllerPort {
  return {
    engine: null,
    mode: 'demo',
    environment: '',
    state: () => initialSnapshot(true, ''),
    onState: () => () => {},
    onActivity: () => () => {},
    signIn: async () => {
      throw new Error('Signing in is not part of this test.');
    },
    cancelSignIn: () => {},
    signOut: async () => {},
    useDemo: async () => {},
    networkReport: async () => null,
  };
}

function withDefaults(deps: TestDeps): HandlerDeps {
  return {
    controller: idleController(),
    openExternal: async () => {
      throw new Error('Opening links is not part of this test.');
    },
    hidePopup: () => {},
    copyText: () => {},
    proxySignIn: async () => {
      throw new Error('Proxy sign-in is not part of this test.');
    },
    ...deps,
  };
}

export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_DIR = join(ROOT_DIR, 'out', 'renderer');
export const SCREENSHOT_DIR = join(ROOT_DIR, 'test', 'artifacts', 'screenshots');

const INVOKE_BINDING = '__gctTestInvoke';
const EMIT_HOOK = '__gctTestEmit';

// ---------------------------------------------------------------------------------------------
// out/renderer through the app scheme's handler

export interface StaticServer {
  /** Origin with a trailing slash, e.g. http://127.0.0.1:41234/ (standing for gct://popup/) */
  url: string;
  /** Paths requested so far, in order (for tests that care what the page fetched). */
  requests: string[];
  /** Every answer, in order: the path as sent, the status and the headers. */
  responses: { path: string; status: number; headers: Record<string, string> }[];
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 (a random port) through the app scheme's handler: a request for
 * http://127.0.0.1:<port>/<path> is answered as gct://popup/<path> would be in the app.
 */
export async function startStaticServer(dir: string = RENDERER_DIR): Promise<StaticServer> {
  const root = resolve(dir);
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new Error(`${join(root, 'index.html')} does not exist: run \`npm run build\` first.`);
  }
  const handle = createAppProtocolHandler({ rootDir: root });
  const requests: string[] = [];
  const responses: StaticServer['responses'] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = req.url ?? '/';
      try {
        requests.push(decodeURIComponent(new URL(target, 'http://localhost').pathname));
      } catch {
        requests.push(target);
      }
      // The request path exactly as sent (still percent-encoded), on the app's scheme.
      const answer = target.startsWith('/')
        ? await handle({ url: `${APP_SCHEME}://${APP_HOST}${target}`, method: req.method ?? 'GET' })
        : new Response('Bad request', { status: 400 });
      const headers = Object.fromEntries(answer.headers);
      responses.push({ path: target, status: answer.status, headers });
      res.writeHead(answer.status, headers);
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await answer.arrayBuffer()));
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    responses,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The test bridge

export interface BridgeCall {
  channel: unknown;
  request: unknown;
  result: IpcResult<unknown>;
}

export interface TestBridge {
  /** Every invoke the page made, in order, with the dispatcher's answer. */
  readonly calls: readonly BridgeCall[];
  /**
   * Pushes an event to the page's `window.gct.on(event, …)` listeners, as the main process
   * would. The payload is validated against the contract's schema first (a test bug otherwise).
   * Resolves to the number of listeners that received it.
   */
  emit<E extends EventChannel>(event: E, payload: EventOf<E>): Promise<number>;
}

/**
 * Gives `page` a `window.gct` backed by the real dispatcher and handlers. Call it before the
 * page navigates (it installs an init script). Every call is trusted (`senderTrusted: true`): the
 * sender check belongs to the Electron adapter and is tested there.
 */
export async function installTestBridge(page: Page, deps: TestDeps): Promise<TestBridge> {
  const dispatcher = createDispatcher(createInvokeHandlers(withDefaults(deps)));
  const calls: BridgeCall[] = [];

  await page.exposeBinding(INVOKE_BINDING, async (_source, channel: unknown, request: unknown) => {
    const result = await dispatcher.dispatch(channel, request, true);
    calls.push({ channel, request, result });
    return result;
  });

  await page.addInitScript(
    ({ key, events, invokeBinding, emitHook }) => {
      type Listener = (payload: unknown) => void;
      const g = globalThis as unknown as Record<string, unknown>;
      const listeners = new Map<string, Set<Listener>>();
      const bridge = Object.freeze({
        invoke(channel: unknown, request?: unknown): Promise<unknown> {
          const call = g[invokeBinding] as (c: unknown, r: unknown) => Promise<unknown>;
          return call(channel, request);
        },
        on(event: unknown, listener: Listener): () => void {
          if (typeof event !== 'string' || !events.includes(event)) throw new Error('Unknown IPC event.');
          let set = listeners.get(event);
          if (!set) listeners.set(event, (set = new Set()));
          const own = (payload: unknown): void => listener(payload);
          set.add(own);
          return () => {
            set.delete(own);
          };
        },
      });
      // Read-only, like contextBridge.exposeInMainWorld.
      Object.defineProperty(g, key, { value: bridge, enumerable: true });
      Object.defineProperty(g, emitHook, {
        value(event: string, payload: unknown): number {
          const set = listeners.get(event);
          if (!set) return 0;
          for (const listener of [...set]) listener(payload);
          return set.size;
        },
      });
    },
    {
      key: BRIDGE_KEY,
      events: Object.keys(eventChannels),
      invokeBinding: INVOKE_BINDING,
      emitHook: EMIT_HOOK,
    },
  );

  return {
    calls,
    async emit(event, payload) {
      if (!isEventChannel(event)) throw new Error(`emit: ${String(event)} is not an event channel`);
      const parsed: unknown = eventChannels[event].parse(payload);
      return page.evaluate(
        ([hook, name, value]) => {
          const fn = (globalThis as unknown as Record<string, (e: unknown, p: unknown) => number>)[hook];
          if (!fn) throw new Error('the test bridge is not installed in this page');
          return fn(name, value);
        },
        [EMIT_HOOK, event, parsed] as const,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Screenshots and sample data

/** Saves a PNG of `page` to test/artifacts/screenshots/<name>.png and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`shot: "${name}" is not a plain file name`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Saves `<name>-light.png` and `<name>-dark.png`, then leaves the page in the light scheme. */
export async function shots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await shot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** An AppInfo as the main process reports it in demo mode; override any field. */
export function demoAppInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    name: 'Genesys Chat Tray',
    version: '0.1.0',
    platform: 'linux',
    mode: 'demo',
    environment: 'http://127.0.0.1:4010',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface OpenedPopup {
  page: Page;
  bridge: TestBridge;
  server: StaticServer;
  /** Console errors, page errors and failed requests seen since the page opened. */
  problems: string[];
}

export interface HarnessFixtures {
  /**
   * Opens the built popup in `page` with the test bridge over `deps`, and waits for its load
   * event. Console errors (CSP violations, wrong MIME types, failed modules) land in `problems`.
   */
  openPopup(deps: TestDeps): Promise<OpenedPopup>;
}

export interface HarnessWorkerFixtures {
  rendererServer: StaticServer;
}

export const test = base.extend<HarnessFixtures, HarnessWorkerFixtures>({
  rendererServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring pattern.
    async ({}, use) => {
      const server = await startStaticServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  openPopup: async ({ page, rendererServer }, use) => {
    await use(async (deps) => {
      const problems: string[] = [];
      // Chromium's own /favicon.ico request is not the page's (Electron makes none): ignored.
      const isFavicon = (url: string): boolean => url === new URL('/favicon.ico', rendererServer.url).href;
      page.on('console', (msg) => {
        const where = msg.location().url;
        if (msg.type() === 'error' && !isFavicon(where)) problems.push(`console: ${msg.text()} (${where})`);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()}`));
      page.on('response', (res) => {
        if (res.status() >= 400 && !isFavicon(res.url())) problems.push(`HTTP ${res.status()}: ${res.url()}`);
      });
      const bridge = await installTestBridge(page, deps);
      await page.goto(rendererServer.url, { waitUntil: 'load' });
      return { page, bridge, server: rendererServer, problems };
    });
  },
});

export { expect } from '@playwright/test';

// ---------------------------------------------------------------------------------------------
// The demo org behind a real AppController

/** A real AppController running the demo org (the simulator), as src/main/app.ts composes it. */
export interface DemoApp {
  controller: AppController;
  /** The running simulator: act as colleagues with `sim().control`. */
  sim(): Simulator;
  notifications: NotificationOut[];
  deps: TestDeps;
  /** Forwards every controller state (and mode change) to the page, as app.ts does. */
  connect(bridge: TestBridge): void;
  /** The folder the app's store writes its files to (config.json and any backups). */
  storeDir: string;
  /** Every line the controller, the engine and the store logged, unredacted, in order. */
  logs: string[];
  stop(): Promise<void>;
}

/** An AppController with an account in the simulator (see startAccountApp). */
export interface AccountApp extends DemoApp {
  /** What a PKCE sign-in needs: the environment (the simulator's URL) and a free loopback port. */
  signIn: { environment: string; clientId: string; loopbackPort: number };
  /** The stand-in for the OS keyring: the only place tokens may be kept. */
  keyring: SecretStore;
  /** Authorization codes the "browser" carried back to the loopback listener. */
  authCodes: string[];
}

export async function startDemoApp(seed = 7): Promise<DemoApp> {
  return composeApp(seed, null);
}

/**
 * The app in account mode against the simulator as a custom environment: it starts signed out
 * (the popup shows the sign-in view), and a sign-in with `signIn` runs the real PKCE flow over the
 * loopback listener; the "browser" follows the simulator's approving redirect itself. Tokens go to
 * `keyring`, an in-memory stand-in for the OS keyring.
 */
export async function startAccountApp(seed = 7, opts: { network?: Network } = {}): Promise<AccountApp> {
  const sim = await startSimulator({ port: 0, seed, quiet: true });
  const authCodes: string[] = [];
  const keyring = createMemorySecretStore();
  const loopbackPort = await freePort();
  const app = await composeApp(seed, {
    sim,
    keyring,
    ...(opts.network ? { network: opts.network } : {}),
    openBrowser: (url) =>
      followAuthorizeRedirect(url, async (input, init) => {
        const res = await fetch(input, init);
        const code = new URL(res.headers.get('location') ?? '/', 'http://x').searchParams.get('code');
        if (code) authCodes.push(code);
        return res;
      }),
  });
  return {
    ...app,
    signIn: { environment: sim.url, clientId: 'gct-e2e', loopbackPort },
    keyring,
    authCodes,
    async stop() {
      await app.stop();
      await sim.close();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function composeApp(
  seed: number,
  account: {
    sim: Simulator;
    keyring: SecretStore;
    openBrowser(url: string): Promise<void>;
    network?: Network;
  } | null,
): Promise<DemoApp> {
  const storeDir = mkdtempSync(join(tmpdir(), 'gct-e2e-'));
  const logs: string[] = [];
  const log = (m: string): void => void logs.push(m);
  const store = openStore({ cwd: storeDir, logger: { info: log, warn: log, error: log } });
  if (account) {
    store.update('prefs', (p) => ({ ...p, environment: account.sim.url, clientId: 'gct-e2e' }));
  }
  let sim: Simulator | null = account?.sim ?? null;
  const notifications: NotificationOut[] = [];
  const controller = new AppController({
    store,
    keyring: () => account?.keyring ?? createMemorySecretStore(),
    openBrowser: async (url) => {
      if (!account) throw new Error('The demo org needs no browser.');
      await account.openBrowser(url);
    },
    startDemoOrg: async () => {
      const s = await startSimulator({ port: 0, seed, quiet: true });
      sim = s;
      return { url: s.url, demoUserEmail: s.demoUser.email, close: () => s.close() };
    },
    notifier: { show: (n) => notifications.push(n), withdraw: () => {} },
    ...(account?.network ? { network: account.network } : {}),
    log,
  });
  await controller.start();
  const info = (): AppInfo => demoAppInfo({ mode: controller.mode, environment: controller.environment });
  const offs: (() => void)[] = [];
  return {
    controller,
    sim: () => {
      if (!sim) throw new Error('the demo org is not running');
      return sim;
    },
    notifications,
    storeDir,
    logs,
    deps: {
      appInfo: info,
      controller,
      openExternal: async () => {},
      hidePopup: () => {},
      copyText: () => {},
      proxySignIn: (req) => controller.signInToProxy(req),
    },
    connect(bridge) {
      let lastMode = `${controller.mode}|${controller.environment}`;
      offs.push(
        controller.onState((s) => {
          bridge.emit('state:changed', toStateView(s)).catch(() => {});
          const mode = `${controller.mode}|${controller.environment}`;
          if (mode !== lastMode) {
            lastMode = mode;
            bridge.emit('app:info-changed', info()).catch(() => {});
          }
        }),
        controller.onActivity((chatId) => {
          bridge.emit('chat:activity', { chatId }).catch(() => {});
        }),
      );
    },
    async stop() {
      for (const off of offs) off();
      await controller.stop();
      store.close();
    },
  };
}

/** Polls `read` until it gives something truthy (a value from a real socket or timer), or throws. */
export async function until<T>(
  read: () => T | undefined | null | false,
  what: string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
