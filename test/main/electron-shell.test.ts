// The Electron adapter with the electron module replaced: every window it creates carries the
// security checklist, and its guards refuse navigation, new windows and permissions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationHandlers } from '../../src/main/shell/ports.ts';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    windows: [] as FakeWindow[],
    handlers: new Map<string, Listener>(),
    trays: [] as { image: unknown; tooltip: string; menu: unknown; listeners: Map<string, Listener> }[],
  };
  class FakeWebContents {
    static next = 1;
    id = FakeWebContents.next++;
    listeners = new Map<string, Listener>();
    windowOpenHandler: Listener | null = null;
    session = {
      permissionRequest: null as Listener | null,
      permissionCheck: null as Listener | null,
      setPermissionRequestHandler(h: Listener) {
        this.permissionRequest = h;
      },
      setPermissionCheckHandler(h: Listener) {
        this.permissionCheck = h;
      },
    };
    on(event: string, l: Listener) {
      this.listeners.set(event, l);
    }
    setWindowOpenHandler(h: Listener) {
      this.windowOpenHandler = h;
    }
    isDevToolsOpened() {
      return false;
    }
    send() {}
  }
  class FakeWindow {
    webContents = new FakeWebContents();
    loaded: string | null = null;
    options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      state.windows.push(this);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    listeners = new Map<string, Listener>();
    position: [number, number] | null = null;
    visible = false;
    on(event: string, l: Listener) {
      this.listeners.set(event, l);
    }
    setPosition(x: number, y: number) {
      this.position = [x, y];
    }
    show() {
      this.visible = true;
    }
    focus() {}
    hide() {
      this.visible = false;
    }
    isVisible() {
      return this.visible;
    }
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
      this.listeners.get('closed')?.();
    }
  }
  class FakeNotification {
    static supported = true;
    static isSupported(): boolean {
      return FakeNotification.supported;
    }
    static activation: Listener | null = null;
    static handleActivation(cb: Listener): void {
      FakeNotification.activation = cb;
    }
    listeners = new Map<string, Listener>();
    shown = false;
    closed = false;
    options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      notes.push(this);
    }
    on(e: string, l: Listener) {
      this.listeners.set(e, l);
    }
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
      this.listeners.get('close')?.();
    }
  }
  const notes: FakeNotification[] = [];
  const opened: string[] = [];
  const clipboard: string[] = [];
  return {
    state,
    FakeWindow,
    FakeNotification,
    notes,
    opened,
    clipboard,
    online: true,
    badge: -1,
    power: new Map<string, Listener>(),
    schemes: [] as unknown[],
    protocols: new Map<string, Listener>(),
  };
});

vi.mock('electron', () => ({
  app: {
    getVersion: () => '1.2.3',
    quit: vi.fn(),
    setBadgeCount: (n: number) => {
      fake.badge = n;
      return true;
    },
  },
  net: { isOnline: () => fake.online },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
    handle: (scheme: string, handler: Listener) => fake.protocols.set(scheme, handler),
  },
  powerMonitor: { on: (e: string, l: Listener) => fake.power.set(e, l) },
  BrowserWindow: fake.FakeWindow,
  ipcMain: { handle: (channel: string, l: Listener) => fake.state.handlers.set(channel, l) },
  Menu: { buildFromTemplate: (t: unknown) => t },
  Notification: fake.FakeNotification,
  shell: {
    openExternal: async (url: string) => {
      fake.opened.push(url);
    },
  },
  clipboard: { writeText: (text: string) => void fake.clipboard.push(text) },
  nativeImage: { createFromPath: (p: string) => ({ path: p }) },
  screen: {
    getCursorScreenPoint: () => ({ x: 5, y: 5 }),
    getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
  },
  Tray: class {
    getBounds() {
      return { x: 1880, y: 1045, width: 24, height: 30 };
    }
    tooltip = '';
    menu: unknown = null;
    listeners = new Map<string, Listener>();
    image: unknown;
    constructor(image: unknown) {
      this.image = image;
      fake.state.trays.push(this as never);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setImage(i: unknown) {
      this.image = i;
    }
    setContextMenu(m: unknown) {
      this.menu = m;
    }
    title = '';
    setTitle(t: string) {
      this.title = t;
    }
    on(e: string, l: Listener) {
      this.listeners.set(e, l);
    }
  },
}));

const { createElectronShell, registerAppScheme } = await import('../../src/main/shell/electron-shell.ts');

const prefs = {
  preload: '/app/out/preload/index.cjs',
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
} as const;

describe('Electron adapter', () => {
  beforeEach(() => {
    fake.state.windows.length = 0;
    fake.state.handlers.clear();
  });

  it('creates the popup hidden, out of the taskbar, with the security web preferences', async () => {
    const shell = createElectronShell({ rendererDir: '/app/out/renderer', resourcesDir: '/app/resources' });
    const popup = shell.createPopupWindow(prefs);
    const win = fake.state.windows[0]!;
    expect(win.options).toMatchObject({ show: false, skipTaskbar: true, width: 380, height: 560 });
    expect(win.options['webPreferences']).toMatchObject(prefs);
    await popup.loadRenderer();
    expect(win.loaded).toBe('gct://popup/index.html');
    expect(shell.rendererUrl).toBe(win.loaded);
  });

  it("serves the popup from the built renderer folder through the app's own scheme, never file://", async () => {
    registerAppScheme();
    expect(fake.schemes).toEqual([
      { scheme: 'gct', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'gct-shell-renderer-'));
    writeFileSync(
      join(dir, 'index.html'),
      '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">',
    );
    const logs: string[] = [];
    const shell = createElectronShell({ rendererDir: dir, resourcesDir: '/res', log: (m) => logs.push(m) });
    const handler = fake.protocols.get('gct')!;
    const page = (await handler(new Request(shell.rendererUrl))) as Response;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const out = (await handler(new Request('gct://popup/..%2f..%2fetc%2fpasswd'))) as Response;
    expect(out.status).toBe(403);
    expect(logs.at(-1)).toMatch(/403 .* \(path traversal\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the dev server instead when it is given one (electron-vite dev)', async () => {
    const shell = createElectronShell({
      rendererDir: '/app/out/renderer',
      resourcesDir: '/app/resources',
      devServerUrl: 'http://localhost:5173/',
    });
    await shell.createPopupWindow(prefs).loadRenderer();
    expect(fake.state.windows[0]!.loaded).toBe('http://localhost:5173/');
  });

  it('refuses navigation, redirects, new windows and every permission', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    shell.createPopupWindow(prefs);
    const wc = fake.state.windows[0]!.webContents;
    for (const event of ['will-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      wc.listeners.get(event)!(e, 'https://evil.example/');
      expect(e.preventDefault).toHaveBeenCalled();
    }
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const cb = vi.fn();
    wc.session.permissionRequest!(wc, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(wc.session.permissionCheck!(wc, 'notifications')).toBe(false);
  });

  it('passes each IPC call to the handler with its sender id and frame URL', async () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    const seen: unknown[] = [];
    shell.handleInvoke('app:get-info', async (call, req) => {
      seen.push(call, req);
      return 'ok';
    });
    const result = await fake.state.handlers.get('app:get-info')!(
      { sender: { id: 5 }, senderFrame: { url: 'gct://popup/index.html' } },
      { x: 1 },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([{ senderId: 5, senderUrl: 'gct://popup/index.html' }, { x: 1 }]);
  });

  it('gives the tray its state icon from resources', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    const tray = shell.createTray('demo', 'Genesys Chat Tray (Demo)');
    const t = fake.state.trays.at(-1)!;
    expect(t.image).toEqual({ path: '/res/tray/linux/demo.png' });
    expect(t.tooltip).toBe('Genesys Chat Tray (Demo)');
    tray.setIcon('idle');
    expect(t.image).toEqual({ path: '/res/tray/linux/idle.png' });
    tray.setCount(3);
    expect(fake.badge).toBe(3);
  });

  it('uses template images and a title count on macOS, and .ico files on Windows', () => {
    const mac = createElectronShell({ rendererDir: '/r', resourcesDir: '/res', platform: 'darwin' });
    const tray = mac.createTray('mention', 'x');
    const t = fake.state.trays.at(-1)! as unknown as { image: unknown; title: string };
    expect(t.image).toEqual({ path: '/res/tray/mac/mentionTemplate.png' });
    tray.setCount(120);
    expect(t.title).toBe('99+');
    tray.setCount(0);
    expect(t.title).toBe('');
    const win = createElectronShell({ rendererDir: '/r', resourcesDir: '/res', platform: 'win32' });
    win.createTray('dnd', 'x');
    expect(fake.state.trays.at(-1)!.image).toEqual({ path: '/res/tray/win/dnd.ico' });
  });

  it('releases the popup window on request and reports when it was hidden or closed', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    const popup = shell.createPopupWindow(prefs);
    const win = fake.state.windows.at(-1)!;
    const seen: string[] = [];
    popup.onHidden(() => seen.push('hidden'));
    popup.onClosed(() => seen.push('closed'));
    win.listeners.get('hide')!();
    popup.destroy();
    expect(win.destroyed).toBe(true);
    expect(seen).toEqual(['hidden', 'closed']);
  });

  const handlersFor = (log: string[], name: string): NotificationHandlers => ({
    click: () => log.push(`${name}:click`),
    reply: (text) => log.push(`${name}:reply:${text}`),
    action: (id) => log.push(`${name}:action:${id}`),
  });
  const base = {
    target: { chatId: 'c1', messageId: 'm1' },
    title: 'Priya in Support',
    body: 'hi',
    silent: false,
    replyable: true,
    actions: [
      { id: 'mark-read' as const, label: 'Mark read' },
      { id: 'react' as const, label: '👍' },
    ],
  };

  it('shows notifications, replaces one with the same tag, withdraws by message id, and routes clicks', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res', platform: 'linux' });
    const log: string[] = [];
    shell.notify({ ...base, tag: 'm1', messageIds: ['m1'] }, handlersFor(log, 'm1'));
    shell.notify({ ...base, tag: 'digest:c', messageIds: ['m2', 'm3'] }, handlersFor(log, 'digest'));
    shell.notify({ ...base, tag: 'm1', body: 'hi again', messageIds: ['m1'] }, handlersFor(log, 'm1b'));
    const [first, digest, again] = fake.notes.slice(-3);
    expect(first!.closed).toBe(true); // replaced, not stacked
    // Linux: no inline reply or buttons; a click opens the quick-reply view instead.
    expect(again!.options).toEqual({ title: 'Priya in Support', body: 'hi again', silent: false });
    again!.listeners.get('click')!();
    expect(log).toEqual(['m1b:click']);
    shell.withdrawNotifications(['m3']);
    expect(digest!.closed).toBe(true);
    expect(again!.closed).toBe(false);
  });

  it('on macOS, offers an inline reply and buttons, and routes them', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res', platform: 'darwin' });
    const log: string[] = [];
    shell.notify({ ...base, tag: 'm9', messageIds: ['m9'] }, handlersFor(log, 'm9'));
    const note = fake.notes.at(-1)!;
    expect(note.options).toEqual({
      title: 'Priya in Support',
      body: 'hi',
      silent: false,
      hasReply: true,
      replyPlaceholder: 'Reply…',
      actions: [
        { type: 'button', text: 'Mark read' },
        { type: 'button', text: '👍' },
      ],
    });
    note.listeners.get('reply')!({}, 'on it');
    note.listeners.get('action')!({}, 1);
    note.listeners.get('action')!({}, 0);
    expect(log).toEqual(['m9:reply:on it', 'm9:action:react', 'm9:action:mark-read']);
  });

  it('on Windows, shows toast XML and takes every activation through one handler, once', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res', platform: 'win32' });
    const got: unknown[] = [];
    const log: string[] = [];
    const target = { chatId: 'room-1', messageId: 'm7' };
    shell.notify({ ...base, target, tag: 'm7', messageIds: ['m7'] }, handlersFor(log, 'm7'));
    const note = fake.notes.at(-1)!;
    const xml = String(note.options['toastXml']);
    expect(xml).toContain('<input id="reply" type="text"');
    expect(note.listeners.has('click')).toBe(false); // the activation handler serves clicks
    // An activation that came before the app listened (a cold start) is kept for it.
    const args = /<action content="Send" arguments="([^"]+)"/.exec(xml)![1]!.replaceAll('&amp;', '&');
    fake.FakeNotification.activation!({ type: 'reply', arguments: args, reply: 'on it' });
    shell.onNotificationActivation((a) => got.push(a));
    fake.FakeNotification.activation!({ type: 'click', arguments: 'v=9&do=evil' });
    expect(got).toEqual([{ kind: 'reply', text: 'on it', chatId: 'room-1', messageId: 'm7' }]);
    expect(log).toEqual([]);
  });

  it('opens only checked http(s) URLs in the browser', async () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    await shell.openExternal('https://example.com/x');
    await expect(shell.openExternal('javascript:alert(1)')).rejects.toThrow(/web links/);
    expect(fake.opened).toEqual(['https://example.com/x']);
  });

  it('puts text on the clipboard (the diagnostics report)', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    shell.copyText('{"report":1}');
    expect(fake.clipboard).toEqual(['{"report":1}']);
  });

  it('opens the popup by the tray icon and hides it when it loses focus', () => {
    const shell = createElectronShell({ rendererDir: '/r', resourcesDir: '/res' });
    shell.createTray('idle', 'Genesys Chat Tray');
    const popup = shell.createPopupWindow(prefs);
    const win = fake.state.windows.at(-1)!;
    popup.show();
    expect(win.position).toEqual([1920 - 380, 1045 - 560 - 6]); // above a bottom taskbar, inside the edge
    expect(popup.isVisible()).toBe(true);
    win.listeners.get('blur')!();
    expect(popup.isVisible()).toBe(false);
  });
});
