// The Electron security checklist, asserted on the BUILT app (out/main, out/preload, out/renderer,
// from `npm run build`) with Electron's module replaced: the web preferences of every window, the
// page's scheme (the app's own, registered before ready, never file://) and what it serves, the
// CSP of every page, the navigation, window-open and permission handlers, and the sender check on
// every IPC handler. Electron itself cannot run here; everything the app asks of it is recorded.
// The app runs as a packaged one, with ELECTRON_RENDERER_URL set: an installed app ignores it.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../src/shared/ipc/channels.ts';
import { until } from '../../support/wait.ts';

type Fn = (...args: unknown[]) => unknown;
const ROOT = resolve(import.meta.dirname, '../../..');
/** What electron-vite dev would set: a packaged app must not load it. */
const DEV_SERVER = 'http://127.0.0.1:5173/not-the-app/';

/** A request to the app's scheme, answered by the handler the built app registered. */
async function fetchApp(url: string): Promise<Response> {
  const handler = rec.state.protocols.get('gct');
  if (!handler) throw new Error('the built app registered no handler for gct://');
  return (await handler(new Request(url))) as Response;
}

const rec = vi.hoisted(() => {
  const state = {
    windows: [] as {
      options: Record<string, unknown>;
      url: string | null;
      wc: Record<string, unknown> & {
        listeners: Map<string, Fn>;
        id: number;
        openHandler: Fn | null;
        permissionRequest: Fn | null;
        permissionCheck: Fn | null;
      };
    }[],
    handlers: new Map<string, Fn>(),
    appListeners: new Map<string, Fn[]>(),
    opened: [] as string[],
    userData: '',
    appPath: '',
    /** What the app asked of Electron's protocol module and windows, in order. */
    events: [] as string[],
    schemes: [] as unknown[],
    protocols: new Map<string, Fn>(),
  };
  let nextId = 1;
  class BrowserWindow {
    options: Record<string, unknown>;
    url: string | null = null;
    visible = false;
    wc: (typeof state.windows)[number]['wc'];
    constructor(options: Record<string, unknown>) {
      this.options = options;
      const listeners = new Map<string, Fn>();
      const wc = {
        id: nextId++,
        listeners,
        openHandler: null as Fn | null,
        permissionRequest: null as Fn | null,
        permissionCheck: null as Fn | null,
        on: (e: string, l: Fn) => listeners.set(e, l),
        setWindowOpenHandler: (h: Fn) => (wc.openHandler = h),
        send: () => {},
        isDevToolsOpened: () => false,
        session: {
          setPermissionRequestHandler: (h: Fn) => (wc.permissionRequest = h),
          setPermissionCheckHandler: (h: Fn) => (wc.permissionCheck = h),
        },
      };
      this.wc = wc;
      state.windows.push(this as never);
    }
    get webContents() {
      return this.wc;
    }
    loadURL(url: string) {
      state.events.push(`load ${url}`);
      this.url = url;
      return Promise.resolve();
    }
    on() {}
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    setPosition() {}
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return false;
    }
  }
  return { state, BrowserWindow };
});

vi.mock('electron', () => ({
  app: {
    whenReady: () => Promise.resolve(),
    on: (e: string, l: Fn) => rec.state.appListeners.set(e, [...(rec.state.appListeners.get(e) ?? []), l]),
    getVersion: () => '0.0.0-security-test',
    getAppPath: () => rec.state.appPath,
    getPath: () => rec.state.userData,
    requestSingleInstanceLock: () => true,
    setAppUserModelId: () => {},
    setLoginItemSettings: () => {},
    setBadgeCount: () => true,
    isPackaged: true,
    quit: () => {},
    exit: () => {},
  },
  net: { isOnline: () => true },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      rec.state.events.push('registerSchemesAsPrivileged');
      rec.state.schemes.push(...schemes);
    },
    handle: (scheme: string, handler: Fn) => {
      rec.state.events.push(`handle ${scheme}`);
      rec.state.protocols.set(scheme, handler);
    },
  },
  session: { defaultSession: { resolveProxy: () => Promise.resolve('DIRECT') } },
  BrowserWindow: rec.BrowserWindow,
  ipcMain: { handle: (channel: string, h: Fn) => rec.state.handlers.set(channel, h) },
  Menu: { buildFromTemplate: (t: unknown) => t },
  nativeImage: { createFromPath: (p: string) => ({ path: p }) },
  Notification: class {
    static isSupported() {
      return false;
    }
  },
  Tray: class {
    setToolTip() {}
    setImage() {}
    setContextMenu() {}
    setTitle() {}
    on() {}
    getBounds() {
      return { x: 0, y: 0, width: 0, height: 0 };
    }
  },
  globalShortcut: { register: () => true, unregisterAll: () => {} },
  powerMonitor: { on: () => {} },
  screen: {
    getCursorScreenPoint: () => ({ x: 0, y: 0 }),
    getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
  },
  shell: { openExternal: async (url: string) => void rec.state.opened.push(url) },
}));

vi.mock('electron-log/main', () => ({
  default: { hooks: [], info: () => {}, warn: () => {}, error: () => {} },
}));

vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class {
      conf: InstanceType<typeof Conf>;
      constructor(o: { cwd: string; name: string }) {
        this.conf = new Conf({ cwd: o.cwd, configName: o.name, accessPropertiesByDotNotation: false });
      }
      get store() {
        return this.conf.store;
      }
      set store(v: Record<string, unknown>) {
        this.conf.store = v;
      }
    },
  };
});

beforeAll(async () => {
  const main = join(ROOT, 'out', 'main', 'index.js');
  if (!existsSync(main))
    throw new Error('out/main/index.js is missing: run `npm run build` first (npm test does).');
  rec.state.appPath = ROOT;
  rec.state.userData = mkdtempSync(join(tmpdir(), 'gct-built-'));
  // A packaged app's resources folder (no app-update.yml: updates stay off).
  Object.defineProperty(process, 'resourcesPath', { value: rec.state.userData, configurable: true });
  process.env['ELECTRON_RENDERER_URL'] = DEV_SERVER;
  await import(pathToFileURL(main).href);
  await until(() => rec.state.windows.length > 0 && rec.state.windows[0]!.url !== null, 'the popup to load');
  await until(() => rec.state.handlers.size === INVOKE_CHANNELS.length, 'the IPC handlers');
}, 30_000);

afterAll(async () => {
  delete process.env['ELECTRON_RENDERER_URL'];
  // Quit: the app flushes and stops the demo org.
  for (const l of rec.state.appListeners.get('before-quit') ?? []) l({ preventDefault: () => {} });
  await new Promise((r) => setTimeout(r, 300));
});

describe('the built app against the Electron security checklist', () => {
  it('every window is sandboxed and isolated, without Node, with the built CommonJS preload', () => {
    expect(rec.state.windows.length).toBeGreaterThan(0);
    for (const w of rec.state.windows) {
      const prefs = w.options['webPreferences'] as Record<string, unknown>;
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      });
      expect(prefs['nodeIntegrationInWorker']).not.toBe(true);
      expect(prefs['allowRunningInsecureContent']).not.toBe(true);
      expect(String(prefs['preload'])).toBe(join(ROOT, 'out', 'preload', 'index.cjs'));
      expect(existsSync(String(prefs['preload']))).toBe(true);
    }
  });

  it('registers its own scheme before ready and loads the popup through it, never from file://', async () => {
    expect(rec.state.schemes).toEqual([
      { scheme: 'gct', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    // Electron accepts the registration only before the app is ready: it comes first of all.
    expect(rec.state.events[0]).toBe('registerSchemesAsPrivileged');
    const loads = rec.state.events.filter((e) => e.startsWith('load '));
    expect(loads.length).toBeGreaterThan(0);
    expect(rec.state.events.indexOf('handle gct')).toBeLessThan(rec.state.events.indexOf(loads[0]!));
    for (const load of loads) expect(load).toBe('load gct://popup/index.html');
    expect(rec.state.events.join('\n')).not.toMatch(/file:|not-the-app/);
  });

  it('serves the built popup, its module script and stylesheet, and nothing outside it', async () => {
    const page = await fetchApp('gct://popup/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toBe(readFileSync(join(ROOT, 'out', 'renderer', 'index.html'), 'utf8'));
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(page.headers.get('content-security-policy')).toBe(`${meta}; frame-ancestors 'none'`);
    const script = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)?.[1];
    const style = /<link rel="stylesheet"[^>]*href="\.\/([^"]+)"/.exec(html)?.[1];
    const js = await fetchApp(`gct://popup/${script}`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const css = await fetchApp(`gct://popup/${style}`);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const pkg = readFileSync(join(ROOT, 'package.json'), 'utf8');
    for (const [url, status] of [
      ['gct://popup/..%2f..%2fpackage.json', 403],
      ['gct://popup/%2e%2e%2f%2e%2e%2fpackage.json', 403],
      ['gct://popup/../../package.json', 404],
      ['gct://popup/../main/index.js', 404],
    ] as const) {
      const res = await fetchApp(url);
      expect(res.status, url).toBe(status);
      expect(await res.text()).not.toBe(pkg);
    }
  });

  it('every page the app loads is its own with a strict CSP and no inline script', async () => {
    for (const w of rec.state.windows) {
      expect(w.url).toBe('gct://popup/index.html');
      const html = await (await fetchApp(w.url!)).text();
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
        expect(tag).toMatch(/\bsrc=/);
        expect(tag.replace(/<script\b[^>]*>|<\/script>/g, '').trim()).toBe('');
      }
    }
  });

  it('navigation, redirects, new windows and every permission are refused', () => {
    for (const w of rec.state.windows) {
      for (const event of ['will-navigate', 'will-redirect']) {
        let prevented = false;
        w.wc.listeners.get(event)!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
        expect(prevented, event).toBe(true);
      }
      expect(w.wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
      let granted: unknown = 'unset';
      w.wc.permissionRequest!(w.wc, 'media', (ok: unknown) => (granted = ok));
      expect(granted).toBe(false);
      expect(w.wc.permissionCheck!(w.wc, 'notifications')).toBe(false);
    }
  });

  it('every IPC handler checks its sender: another window, or another document, is refused', async () => {
    expect([...rec.state.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const popup = rec.state.windows[0]!;
    for (const [channel, handler] of rec.state.handlers) {
      for (const sender of [
        { sender: { id: 99_999 }, senderFrame: { url: popup.url } },
        { sender: { id: popup.wc.id }, senderFrame: { url: 'https://evil.example/' } },
      ]) {
        const result = (await handler(sender, undefined)) as { ok: boolean; error?: { code: string } };
        expect(result, channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    const trusted = { sender: { id: popup.wc.id }, senderFrame: { url: popup.url } };
    expect(await rec.state.handlers.get('app:get-info')!(trusted, undefined)).toMatchObject({ ok: true });
  });

  it('links leave the app only as http(s), through the main process', async () => {
    const popup = rec.state.windows[0]!;
    const trusted = { sender: { id: popup.wc.id }, senderFrame: { url: popup.url } };
    const open = rec.state.handlers.get('link:open')!;
    expect(await open(trusted, { url: 'javascript:alert(1)' })).toMatchObject({ ok: false });
    expect(await open(trusted, { url: 'file:///etc/passwd' })).toMatchObject({ ok: false });
    expect(await open(trusted, { url: 'https://example.com/' })).toMatchObject({ ok: true });
    expect(rec.state.opened).toEqual(['https://example.com/']);
  });
});
