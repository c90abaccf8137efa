// Launching the BUILT app in Electron for Playwright `_electron` tests, or saying plainly why not.
//
// Where no Electron binary is installed (ELECTRON_SKIP_BINARY_DOWNLOAD, or a download that could
// not happen) the tests are SKIPPED with that reason, never passed. With GCT_REQUIRE_ELECTRON=1
// (.ci/run sets it after installing the binary) a missing binary fails instead.
// On Linux it needs a display: `npm test` runs this project under `xvfb-run -a` when there is none.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { electronPackageDir, findElectronBinary } from '../../scripts/electron-binary.mjs';
import { ROOT_DIR } from '../e2e/harness.ts';

export const MAIN_ENTRY = join(ROOT_DIR, 'out', 'main', 'index.js');

/** The electron package's binary, found without requiring `electron` (that would download it). */
function electronBinary(): { path: string } | { missing: string } {
  const pkgDir = electronPackageDir(ROOT_DIR);
  if (!pkgDir) return { missing: 'the electron package is not installed' };
  return findElectronBinary(pkgDir);
}

export const binary = electronBinary();
const skipFlag = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
export const SKIP_REASON =
  `Electron binary not installed here: ${'missing' in binary ? binary.missing : 'found'}` +
  (skipFlag ? ` (install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=${skipFlag})` : '') +
  '; the Electron tests (launch, popup, notification, reply) did not run. Check with ' +
  '`node scripts/ensure-electron.mjs`; GCT_REQUIRE_ELECTRON=1 makes them fail instead of skip';
export const mustRun = process.env.GCT_REQUIRE_ELECTRON === '1';

if ('missing' in binary && !mustRun) {
  console.log(`[electron] SKIPPED: ${SKIP_REASON}`);
}

/** Whether this machine cannot run the tests (then they skip, with SKIP_REASON). */
export const cannotRun = 'missing' in binary && !mustRun;

/** The control token the launched app's demo org takes (src/main/index.ts, unpackaged only). */
export const DEMO_CONTROL_TOKEN = 'electron-test-demo-control-token';

export interface LaunchedApp {
  app: ElectronApplication;
  /** Everything the main process printed (its log lines go to stdout). */
  output(): string;
  configHome: string;
  close(): Promise<void>;
}

/** The main process's command line: the built entry, and no GPU in containers and Xvfb. */
export function electronArgs(): string[] {
  return [...(process.platform === 'linux' ? ['--disable-gpu', '--disable-dev-shm-usage'] : []), MAIN_ENTRY];
}

/** Launches the built app on a fresh config folder (no account: the demo org). */
export async function launchApp(opts: { configHome?: string } = {}): Promise<LaunchedApp> {
  if ('missing' in binary) throw new Error(`GCT_REQUIRE_ELECTRON=1 but ${binary.missing}.`);
  if (!existsSync(MAIN_ENTRY)) throw new Error(`${MAIN_ENTRY} does not exist: run \`npm run build\` first.`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('No display: run this project under `xvfb-run -a` (npm test does).');
  }
  // A fresh config dir: no account configured, so the app starts in demo mode, and the
  // developer's own settings are neither read nor written.
  const configHome = opts.configHome ?? mkdtempSync(join(tmpdir(), 'gct-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: electronArgs(),
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: configHome,
      ELECTRON_ENABLE_LOGGING: '1',
      GCT_DEMO_CONTROL_TOKEN: DEMO_CONTROL_TOKEN,
    } as Record<string, string>,
    timeout: 45_000,
  });
  let out = '';
  app.process().stdout?.on('data', (d: Buffer) => (out += d.toString()));
  app.process().stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return {
    app,
    output: () => out,
    configHome,
    async close() {
      await app.close();
      if (!opts.configHome) rmSync(configHome, { recursive: true, force: true });
    },
  };
}
