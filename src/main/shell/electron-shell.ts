// The Electron adapter for ShellPort: the only module, with index.ts, that touches Electron.
// Every window gets the security checklist: sandboxed, isolated, no Node, no navigation,
// no new windows, no permissions, its page from the app's own scheme (app-protocol.ts).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  screen,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import { checkExternalUrl } from '../ipc/links.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, POPUP_URL } from './app-protocol.ts';
import { popupPosition } from './popup-position.ts';
import { notificationOptions } from './notification-options.ts';
import type {
  DesktopNotification,
  NotificationActivation,
  NotificationHandlers,
  PopupWindowPort,
  ShellPort,
  TrayIconName,
  TrayPort,
  WindowSecurityPrefs,
} from './ports.ts';
import { systemDndProbe } from './system-dnd.ts';
import { activationFromElectron, renderToastXml } from './toast-xml.ts';
import { trayIconFile } from './tray-icon-files.ts';
import { watchChanges } from './watch-changes.ts';

/** How often the OS's network state and do-not-disturb are read (both are cheap reads). */
const NETWORK_CHECK_MS = 5_000;
const SYSTEM_DND_CHECK_MS = 30_000;

export const POPUP_SIZE = { width: 380, height: 560 } as const;

export interface ElectronShellOptions {
  /** Folder holding index.html of the built renderer. */
  rendererDir: string;
  /** The OS (default: this one); tests set it to check each OS's notification options. */
  platform?: NodeJS.Platform;
  /** Dev server URL (electron-vite dev), used instead of the built files when set (never when packaged). */
  devServerUrl?: string;
  resourcesDir: string;
  /** Where log lines go (electron-log in the app); the console by default. */
  log?: (message: string) => void;
}

/**
 * The app's own scheme (gct://popup/, see app-protocol.ts) as a standard, secure one. Electron
 * allows this only before the app is ready, once: index.ts calls it first thing.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

export function createElectronShell(opts: ElectronShellOptions): ShellPort {
  const platform = opts.platform ?? process.platform;
  const rendererUrl = opts.devServerUrl ?? POPUP_URL;
  // Shown notifications, kept so they can be withdrawn (and are not garbage-collected early).
  const shown = new Map<string, { n: Notification; messageIds: string[] }>();
  let trayRef: Tray | null = null;
  let activationListener: ((a: NotificationActivation) => void) | null = null;
  const pendingActivations: NotificationActivation[] = [];
  const log = opts.log ?? ((message: string) => console.log(`[main] ${message}`));
  // The popup comes from the built renderer folder through the app's scheme, never file://.
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: opts.rendererDir, log }));
  const icon = (name: TrayIconName): Electron.NativeImage =>
    nativeImage.createFromPath(join(opts.resourcesDir, trayIconFile(platform, name)));
  // Windows: every click, reply and button of our toasts comes through one activation handler,
  // also from the Action Center after the notification object is gone, and the one that launched
  // the app. The instance events are then not used, so nothing is handled twice.
  const windowsActivation = platform === 'win32' && typeof Notification.handleActivation === 'function';
  if (windowsActivation) {
    Notification.handleActivation((details) => {
      const activation = activationFromElectron(details);
      if (!activation) {
        log('notification activation with arguments that are not ours: ignored');
        return;
      }
      if (activationListener) activationListener(activation);
      else pendingActivations.push(activation);
    });
  }

  return {
    platform,
    appVersion: app.getVersion(),
    rendererUrl,
    createPopupWindow(prefs: WindowSecurityPrefs): PopupWindowPort {
      const win = new BrowserWindow({
        ...POPUP_SIZE,
        show: false,
        resizable: false,
        skipTaskbar: true,
        title: 'Genesys Chat Tray',
        webPreferences: { ...prefs, spellcheck: false },
      });
      guardWebContents(win.webContents);
      // A tray popup goes away when the user clicks elsewhere.
      win.on('blur', () => {
        if (!win.webContents.isDevToolsOpened()) win.hide();
      });
      // A crashed renderer takes its window with it; the app makes a new one on the next open.
      win.webContents.on('render-process-gone', (_e, details) => {
        log(`popup renderer gone (${details.reason}); it is made again on the next open`);
        if (!win.isDestroyed()) win.destroy();
      });
      return {
        webContentsId: win.webContents.id,
        loadRenderer: () => win.loadURL(rendererUrl),
        show: () => {
          const cursor = screen.getCursorScreenPoint();
          const tray = trayRef?.getBounds() ?? null;
          const anchor = tray && tray.width > 0 ? { x: tray.x, y: tray.y } : cursor;
          const { workArea } = screen.getDisplayNearestPoint(anchor);
          const { x, y } = popupPosition({ tray, cursor, workArea, size: POPUP_SIZE });
          win.setPosition(x, y, false);
          win.show();
          win.focus();
        },
        hide: () => win.hide(),
        isVisible: () => win.isVisible(),
        send: (channel, payload) => {
          if (!win.isDestroyed()) win.webContents.send(channel, payload);
        },
        onClosed: (listener) => win.on('closed', listener),
        onHidden: (listener) => win.on('hide', listener),
        destroy: () => {
          if (!win.isDestroyed()) win.destroy();
        },
      };
    },
    createTray(name, tooltip): TrayPort {
      const tray = new Tray(icon(name));
      trayRef = tray;
      tray.setToolTip(tooltip);
      return {
        setToolTip: (text) => tray.setToolTip(text),
        setIcon: (n) => tray.setImage(icon(n)),
        setMenu: (items) =>
          tray.setContextMenu(
            Menu.buildFromTemplate(items.map((i) => ({ id: i.id, label: i.label, click: i.click }))),
          ),
        onClick: (listener) => tray.on('click', listener),
        setCount: (count) => {
          const text = count > 99 ? '99+' : count > 0 ? String(count) : '';
          // macOS shows a title next to the menu bar icon; Linux launchers (Unity, KDE) a badge.
          // Windows has neither for a tray icon: the tooltip carries the count there.
          if (platform === 'darwin') tray.setTitle(text);
          else if (platform === 'linux') app.setBadgeCount(count);
        },
      };
    },
    handleInvoke(channel, handler) {
      ipcMain.handle(channel, (event, request: unknown) =>
        handler({ senderId: event.sender.id, senderUrl: event.senderFrame?.url ?? '' }, request),
      );
    },
    notify(n: DesktopNotification, handlers: NotificationHandlers) {
      if (!Notification.isSupported()) return;
      shown.get(n.tag)?.n.close();
      const note = windowsActivation
        ? new Notification({ toastXml: renderToastXml(n) })
        : new Notification(notificationOptions(n, platform));
      if (!windowsActivation) {
        note.on('click', () => handlers.click());
        note.on('reply', (_e, text: string) => handlers.reply(text));
        note.on('action', (_e, index: number) => {
          const action = n.actions[index];
          if (action) handlers.action(action.id);
        });
      }
      note.on('failed', (_e, error: string) => log(`notification failed: ${error}`));
      note.on('close', () => {
        if (shown.get(n.tag)?.n === note) shown.delete(n.tag);
      });
      shown.set(n.tag, { n: note, messageIds: n.messageIds });
      note.show();
    },
    withdrawNotifications(messageIds: string[]) {
      const gone = new Set(messageIds);
      for (const [tag, entry] of shown) {
        if (entry.messageIds.some((id) => gone.has(id))) {
          entry.n.close();
          shown.delete(tag);
        }
      }
    },
    // Checked again here: whatever the caller, only http(s) leaves the app.
    openExternal: async (url: string) => shell.openExternal(checkExternalUrl(url)),
    copyText: (text: string) => clipboard.writeText(text),
    onWake(listener) {
      powerMonitor.on('resume', () => listener('resume'));
      powerMonitor.on('unlock-screen', () => listener('unlock'));
    },
    onSecondInstance(listener) {
      app.on('second-instance', () => listener());
    },
    onNetworkChange(listener) {
      // The main process has no online/offline event: Chromium's own reading, polled (no traffic).
      watchChanges(() => net.isOnline(), listener, { intervalMs: NETWORK_CHECK_MS, initial: true });
    },
    onSystemDoNotDisturb(listener) {
      const probe = systemDndProbe(platform, { run: runCommand, readFile: (f) => readFile(f, 'utf8') });
      const watch = watchChanges(probe, listener, { intervalMs: SYSTEM_DND_CHECK_MS, initial: false });
      powerMonitor.on('resume', () => void watch.check());
    },
    onNotificationActivation(listener) {
      activationListener = listener;
      for (const a of pendingActivations.splice(0)) listener(a);
    },
    setLaunchAtLogin(enabled) {
      // Linux has no login items in Electron; packaging (an autostart entry) covers it there.
      if (process.platform === 'darwin' || process.platform === 'win32')
        app.setLoginItemSettings({ openAtLogin: enabled });
    },
    setGlobalShortcut(accelerator, handler) {
      globalShortcut.unregisterAll();
      try {
        return globalShortcut.register(accelerator, handler);
      } catch {
        return false; // not a valid accelerator
      }
    },
    quit: () => app.quit(),
    log,
  };
}

/** Runs a small OS command (a settings read), with a short timeout; rejects on failure. */
function runCommand(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 2_000, windowsHide: true }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

/** Navigation, new windows and permission requests are all refused for the app's windows. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
