// Playwright: the built renderer in Debian's Chromium (project `chromium`, test/e2e) and the whole
// app through Playwright's `_electron` (project `electron`, test/electron). `npm test` runs them
// as two steps (scripts/test.mjs); by hand: `npx playwright test --project=chromium`.
//
// Chromium is the system's (Debian package `chromium`): Playwright's own browser download cannot
// work on these machines. CHROMIUM_PATH overrides /usr/bin/chromium.
import { defineConfig } from '@playwright/test';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for a closed network, as root, in a container: no sandbox, no GPU, no phoning home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export default defineConfig({
  outputDir: 'test/artifacts/playwright-output',
  // A flaky test fails; nothing retries it into a pass.
  retries: 0,
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: process.env.CI ? 2 : undefined,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    // scripts/test.mjs sets GCT_PLAYWRIGHT_JSON per project to sum the counts.
    ['json', { outputFile: process.env.GCT_PLAYWRIGHT_JSON || 'test/artifacts/playwright-results.json' }],
  ],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        headless: true,
        // The popup's size (src/main/shell/electron-shell.ts POPUP_SIZE).
        viewport: { width: 380, height: 560 },
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
    {
      name: 'electron',
      testDir: 'test/electron',
      timeout: 60_000,
    },
  ],
});
