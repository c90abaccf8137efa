// Where the headless runner keeps its state: by default in the per-user data folder, named as the
// app's (Electron's `userData`: `<appData>/Genesys Chat Tray`) with its own `headless/<environment>`
// folder inside, so a restarted runner picks up where it stopped and the app's file is never shared.
// One runner per folder at a time (a lock file naming its process); `--ephemeral` uses a throwaway
// folder removed at exit.
//
// Written here rather than with `env-paths` (which `conf` brings along): that library names folders
// by its own rules (`~/.config/<name>-nodejs`, `~/Library/Preferences/<name>`), not Electron's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const PRODUCT_NAME = 'Genesys Chat Tray';
const LOCK_FILE = 'headless.lock';

export interface PlatformPaths {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const host: PlatformPaths = { platform: process.platform, env: process.env, home: homedir() };

/** Electron's `app.getPath('appData')` on each OS. */
export function appDataDir(p: PlatformPaths = host): string {
  if (p.platform === 'win32') return p.env['APPDATA'] || join(p.home, 'AppData', 'Roaming');
  if (p.platform === 'darwin') return join(p.home, 'Library', 'Application Support');
  const xdg = p.env['XDG_CONFIG_HOME'];
  return xdg && isAbsolute(xdg) ? xdg : join(p.home, '.config');
}

/** A folder name for an environment: `mypurecloud.ie`, `http-127.0.0.1-4010`. */
export function environmentFolder(environmentId: string): string {
  const name = environmentId
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return name.slice(0, 120) || 'default';
}

/** The default data folder of the headless runner for one environment. */
export function defaultDataDir(environmentId: string, p: PlatformPaths = host): string {
  return join(appDataDir(p), PRODUCT_NAME, 'headless', environmentFolder(environmentId));
}

export interface DataDir {
  path: string;
  /** Lets go of the folder (and removes it, when it was a throwaway one). */
  release(): void;
}

export class DataDirInUse extends Error {}

/** Creates (if needed) and locks the folder the runner will use. */
export function openDataDir(opts: {
  environmentId: string;
  dataDir?: string;
  ephemeral: boolean;
  paths?: PlatformPaths;
}): DataDir {
  if (opts.ephemeral) {
    const path = mkdtempSync(join(tmpdir(), 'gct-headless-'));
    return { path, release: () => rmSync(path, { recursive: true, force: true }) };
  }
  const path = opts.dataDir ?? defaultDataDir(opts.environmentId, opts.paths);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const lock = join(path, LOCK_FILE);
  takeLock(lock, path);
  return {
    path,
    release: () => {
      if (lockHolder(lock) === process.pid) unlinkSync(lock);
    },
  };
}

function takeLock(lock: string, dir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = lockHolder(lock);
    if (holder !== null && holder !== process.pid && alive(holder)) {
      throw new DataDirInUse(
        `Another headless runner (process ${holder}) is using ${dir}. Stop it, or start this one ` +
          `with --data-dir <another folder> or --ephemeral. (If no runner is left, delete ${lock}.)`,
      );
    }
    // Left by a runner that is gone (killed, crashed): take it over.
    rmSync(lock, { force: true });
  }
  throw new DataDirInUse(`Could not take the lock ${lock}: another runner is starting on ${dir}.`);
}

function lockHolder(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
