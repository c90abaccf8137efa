// Electron entry point: glue only. Builds the Electron adapter, the store in the user's data
// folder and the keyring, and hands them to startApp.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, session, shell as electronShell } from 'electron';
import ElectronStore from 'electron-store';
import log from 'electron-log/main';
import { startSimulator } from '../simulator/index.ts';
import { APP_ID } from './app-id.ts';
import { startApp, type RunningApp } from './app.ts';
import { createKeytarSecretStore } from './auth/secret-store.ts';
import { devServerUrl } from './shell/app-protocol.ts';
import { createElectronShell, registerAppScheme } from './shell/electron-shell.ts';
import { startAutoUpdate, type Updater } from './shell/updates.ts';
import { setUpWindowsToasts } from './shell/windows-toasts.ts';
import { redactArgs } from './log/redact.ts';
import type { StoreDocument } from './store/schema.ts';
import { CONF_OPTIONS, openStore } from './store/store.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

// Logs go to the console and to a file in the OS's log folder, with secrets redacted.
log.hooks.push((message) => ({ ...message, data: redactArgs(message.data) }));
const logLine = (m: string): void => log.info(m);

// Windows routes toast clicks (also from the Action Center) to the app with this id, which must
// match the installer's appId (electron-builder.json), through a toast activator whose fixed
// CLSID is also written onto the Start menu shortcut.
if (process.platform === 'win32') {
  app.setAppUserModelId(APP_ID);
  setUpWindowsToasts({
    isPackaged: app.isPackaged,
    appData: app.getPath('appData'),
    productName: app.getName(),
    exePath: process.execPath,
    setToastActivatorCLSID: (id) => app.setToastActivatorCLSID(id),
    exists: existsSync,
    writeShortcutLink: (path, operation, options) =>
      electronShell.writeShortcutLink(path, operation, options),
    log: logLine,
  });
}

// The popup's scheme (gct://popup/) must be registered before the app is ready.
registerAppScheme();

// One instance: a second launch quits at once and the first one shows its popup.
if (!app.requestSingleInstanceLock()) app.quit();
let running: RunningApp | null = null;

app.on('window-all-closed', () => {
  // A tray app keeps running with no window open.
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !running) return;
  // Flush the outbox and the engine's state before leaving.
  event.preventDefault();
  quitting = true;
  void running.stop().finally(() => app.quit());
});

void app.whenReady().then(async () => {
  try {
    const devServer = devServerUrl(app.isPackaged, process.env['ELECTRON_RENDERER_URL']);
    if (process.env['ELECTRON_RENDERER_URL'] && !devServer) {
      logLine('ELECTRON_RENDERER_URL ignored: a packaged app loads only its own files');
    }
    const shell = createElectronShell({
      rendererDir: join(here, '../renderer'),
      devServerUrl: devServer,
      resourcesDir: join(app.getAppPath(), 'resources'),
      log: logLine,
    });
    const store = openStore({
      cwd: app.getPath('userData'),
      name: 'config',
      logger: { info: shell.log, warn: shell.log, error: shell.log },
      backend: ({ cwd, configName }) =>
        new ElectronStore<StoreDocument>({ cwd, name: configName, ...CONF_OPTIONS }),
    });
    running = await startApp({
      shell,
      store,
      preloadPath: join(here, '../preload/index.cjs'),
      keyring: () => createKeytarSecretStore(),
      // The OS proxy settings and PAC scripts, as Chromium resolves them for each URL.
      systemProxy: (url) => session.defaultSession.resolveProxy(url),
      startDemoOrg: async () => {
        // The demo org refreshes its tokens, so a demo left running for days never asks to sign in
        // (the simulator's strict default, no refresh token for a PKCE client, is for tests).
        // Tests that drive the demo org from outside (test/electron) give it their control token;
        // a packaged app never takes one from its environment.
        const controlToken = app.isPackaged ? undefined : process.env['GCT_DEMO_CONTROL_TOKEN'];
        const sim = await startSimulator({
          port: 0,
          seed: 1,
          traffic: true,
          quiet: true,
          issueRefreshTokens: true,
          ...(controlToken ? { controlToken } : {}),
        });
        logLine(`demo org at ${sim.url}`);
        return { url: sim.url, demoUserEmail: sim.demoUser.email, close: () => sim.close() };
      },
    });
    running.popup.show();
    void startAutoUpdate({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      exists: existsSync,
      log: logLine,
      loadUpdater: async () => {
        const mod = (await import('electron-updater')) as unknown as {
          autoUpdater?: Updater;
          default?: { autoUpdater: Updater };
        };
        const updater = mod.autoUpdater ?? mod.default?.autoUpdater;
        if (!updater) throw new Error('electron-updater has no autoUpdater');
        return updater;
      },
    }).catch((err: unknown) => log.warn('[main] auto-update could not start', err));
  } catch (err) {
    log.error('[main] failed to start', err);
    app.exit(1);
  }
});
