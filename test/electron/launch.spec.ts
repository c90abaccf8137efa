// The whole app in Electron (Playwright `_electron`): launches the BUILT main process
// (out/main/index.js) and checks that the popup renders the Demo badge, i.e. main → preload →
// renderer → IPC → main works in the real runtime, sandbox, CSP and the app's gct:// scheme included.
// Skips visibly where no Electron binary exists (electron-harness.ts).
import { expect, test } from '@playwright/test';
import { shot } from '../e2e/harness.ts';
import { cannotRun, launchApp, SKIP_REASON } from './electron-harness.ts';

test.describe('Electron app', () => {
  test.skip(cannotRun, SKIP_REASON);

  test('launches from out/main/index.js and the popup shows the Demo badge', async () => {
    const launched = await launchApp();
    try {
      const popup = await launched.app.firstWindow();
      // Served by the app's own scheme (never file://), with its module script and stylesheet.
      expect(popup.url()).toBe('gct://popup/index.html');
      await expect(popup.getByTestId('app-name')).toHaveText('Genesys Chat Tray');
      await expect(popup.getByTestId('app-mode')).toHaveText('Demo', { timeout: 20_000 });
      await shot(popup, 'electron-popup-demo');
    } finally {
      await launched.close();
    }
  });
});
