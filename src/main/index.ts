// Electron entry point: glue only. Builds the Electron adapter and hands it to startApp.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { startSimulator } from '../simulator/index.ts';
import { startApp, type RunningApp } from './app.ts';
import { createElectronShell } from './shell/electron-shell.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
let running: RunningApp | null = null;

app.on('window-all-closed', () => {
  // A tray app keeps running with no window open.
});

app.on('before-quit', () => {
  void running?.stop();
});

void app.whenReady().then(async () => {
  try {
    const shell = createElectronShell({
      rendererDir: join(here, '../renderer'),
      devServerUrl: process.env['ELECTRON_RENDERER_URL'],
      resourcesDir: join(app.getAppPath(), 'resources'),
    });
    running = await startApp({
      shell,
      preloadPath: join(here, '../preload/index.cjs'),
      account: null,
      startDemoOrg: async () => {
        const sim = await startSimulator({ port: 0, seed: 1, traffic: true, quiet: true });
        return { url: sim.url, close: () => sim.close() };
      },
    });
    running.popup.show();
  } catch (err) {
    console.error('[main] failed to start', err);
    app.exit(1);
  }
});
