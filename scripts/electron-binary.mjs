// @ts-check
// Where the Electron binary of node_modules/electron is, read the way Electron's own loader
// (node_modules/electron/index.js) and installer (install.js) read it, WITHOUT requiring the
// `electron` module: requiring it starts a download when the binary is missing. Used by
// scripts/ensure-electron.mjs (npm start, dev, dist), scripts/test.mjs and the Electron tests.
//
// Electron 45 downloads its binary on first use, not at `npm install`: until then
// node_modules/electron has no dist/ and no path.txt, which electron-vite reads ("Electron
// uninstall"). ELECTRON_EXEC_PATH (read by electron-vite) and ELECTRON_OVERRIDE_DIST_PATH (read by
// Electron's loader) point at a binary elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The executable's path inside an Electron zip for a platform (install.js's getPlatformPath).
 * @param {string} platform
 */
export function platformExecutable(platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The electron package folder as seen from `root`, or null when it is not installed.
 * @param {string} root a folder holding package.json
 */
export function electronPackageDir(root) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * @typedef {{ path: string, via: string }} FoundBinary
 * @typedef {{ missing: string, override?: boolean }} MissingBinary
 */

/**
 * The Electron binary for the electron package in `pkgDir`, or why there is none.
 * `override` is set when an environment variable named a binary that is not there: downloading
 * would not help, the variable must be fixed.
 * @param {string} pkgDir
 * @param {NodeJS.ProcessEnv} [env]
 * @param {string} [platform]
 * @returns {FoundBinary | MissingBinary}
 */
export function findElectronBinary(pkgDir, env = process.env, platform = process.platform) {
  if (env.ELECTRON_EXEC_PATH) {
    return existsSync(env.ELECTRON_EXEC_PATH)
      ? { path: env.ELECTRON_EXEC_PATH, via: 'ELECTRON_EXEC_PATH' }
      : { missing: `ELECTRON_EXEC_PATH is ${env.ELECTRON_EXEC_PATH}, which does not exist`, override: true };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || platformExecutable(platform));
    return existsSync(path)
      ? { path, via: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no ${path}`, override: true };
  }
  if (!relative) return { missing: `${pathFile} is missing (the binary was never downloaded)` };
  const path = join(pkgDir, 'dist', relative);
  if (!existsSync(path)) return { missing: `${path} is missing` };
  const wanted = packageVersion(pkgDir);
  const versionFile = join(pkgDir, 'dist', 'version');
  const installed = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : '';
  if (wanted && installed && installed !== wanted) {
    return { missing: `${path} is Electron ${installed}, not ${wanted}` };
  }
  return { path, via: 'node_modules/electron' };
}

/**
 * The version of the electron package in `pkgDir`.
 * @param {string} pkgDir
 * @returns {string}
 */
export function packageVersion(pkgDir) {
  try {
    return String(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version ?? '');
  } catch {
    return '';
  }
}
