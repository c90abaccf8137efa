// The Electron adapter for ShellPort: the only module, with index.ts, that touches Electron.
// Every window gets the security checklist: sandboxed, isolated, no Node, no navigation,
// no new windows, no permissions.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  screen,
  shell,
  Tray,
  type WebContents,
} from 'electron';
import { checkExternalUrl } from '../ipc/links.ts';
import { popupPosition } from './popup-position.ts';
import { notificationOptions } from './notification-options.ts';
import type {
  DesktopNotification,
  NotificationHandlers,
  PopupWindowPort,
  ShellPort,
  TrayIconName,
  TrayPort,
  WindowSecurityPrefs,
} from './ports.ts';

export const POPUP_SIZE = { width: 380, height: 560 } as const;

export interface ElectronShellOptions {
  /** Folder holding index.html of the built renderer. */
  rendererDir: string;
  /** The OS (default: this one); tests set it to check each OS's notification options. */
  platform?: NodeJS.Platform;
  /** Dev server URL (electron-vite dev), used instead of the built files when set. */
  devServerUrl?: string;
  resourcesDir: string;
  /** Where log lines go (electron-log in the app); the console by default. */
  log?: (message: string) => void;
}

export function createElectronShell(opts: ElectronShellOptions): ShellPort {
  const platform = opts.platform ?? process.platform;
  const rendererUrl = opts.devServerUrl ?? pathToFileURL(join(opts.rendererDir, 'index.html')).href;
  // Shown notifications, kept so they can be withdrawn (and are not garbage-collected early).
  const shown = new Map<string, { n: Notification; messageIds: string[] }>();
  let trayRef: Tray | null = null;
  const icon = (name: TrayIconName): Electron.NativeImage =>
    nativeImage.createFromPath(join(opts.resourcesDir, 'tray', `${name}.png`));

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
      const options = notificationOptions(n, platform);
      const note = new Notification(options);
      note.on('click', () => handlers.click());
      note.on('reply', (_e, text: string) => handlers.reply(text));
      note.on('action', (_e, index: number) => {
        const action = n.actions[index];
        if (action) handlers.action(action.id);
      });
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
    onWake(listener) {
      powerMonitor.on('resume', () => listener('resume'));
      powerMonitor.on('unlock-screen', () => listener('unlock'));
    },
    onSecondInstance(listener) {
      app.on('second-instance', () => listener());
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
    log: opts.log ?? ((message) => console.log(`[main] ${message}`)),
  };
}

/** Navigation, new windows and permission requests are all refused for the app's windows. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
