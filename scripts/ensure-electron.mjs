// @ts-check
// `npm start`, `npm run dev` and `npm run dist*` come through here first:
//
//   node scripts/ensure-electron.mjs                          make sure Electron's binary is there
//   node scripts/ensure-electron.mjs -- electron-vite preview  ... then run that, with
//                                                             ELECTRON_EXEC_PATH pointing at it
//
// Electron 45 does not download its binary at `npm install`; electron-vite only reads
// node_modules/electron/path.txt and throws "Electron uninstall" when it is missing. So when the
// binary is not there, this runs Electron's own installer (node_modules/electron/install.js) once,
// and when that fails (offline, a proxy, a blocked host) it says why and what to do, and exits 1.
// The Node version is checked before anything else (scripts/check-node.mjs).
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireSupportedNode } from './check-node.mjs';
import { electronPackageDir, findElectronBinary, packageVersion } from './electron-binary.mjs';
import {
  commandName,
  describeFetchError,
  failureMessage,
  installerEnv,
  readInstallerOutput,
  skipDownloadFlag,
} from './electron-download.mjs';

requireSupportedNode();

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A download this long without an end gets a line saying it is still going. */
const HEARTBEAT_MS = 30_000;
/** How long the connection probe after a failed download may take. */
const PROBE_MS = 10_000;

/** @param {string} message */
function fail(message) {
  console.error(message);
  process.exit(1);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  if (argv.length === 0) return [];
  if (argv[0] === '--' && argv.length > 1) return argv.slice(1);
  fail('usage: node scripts/ensure-electron.mjs [-- command [args...]]');
  return [];
}

/**
 * Runs Electron's installer; resolves to its exit code and what it printed on stderr.
 * @param {string} pkgDir
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number, stderr: string }>}
 */
function runInstaller(pkgDir, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkgDir, 'install.js')], {
      cwd: pkgDir,
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const started = Date.now();
    const heartbeat = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      console.log(`  ... still downloading Electron (${s} s)`);
    }, HEARTBEAT_MS);
    const done = (/** @type {number} */ code) => {
      clearInterval(heartbeat);
      resolve({ code, stderr });
    };
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      done(127);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

/**
 * What connecting to the download URL gives now, in words (through the proxy the installer used).
 * @param {string} url
 * @param {NodeJS.ProcessEnv} env
 * @param {string} pkgDir
 */
async function probe(url, env, pkgDir) {
  /** @type {RequestInit & { dispatcher?: unknown }} */
  const init = { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_MS) };
  let doFetch = fetch;
  if (env.ELECTRON_GET_USE_PROXY) {
    try {
      // The proxy agent the downloader itself uses (undici, a dependency of @electron/get).
      const { createRequire } = await import('node:module');
      const fromGet = createRequire(createRequire(join(pkgDir, 'package.json')).resolve('@electron/get'));
      const undici = fromGet('undici');
      doFetch = undici.fetch;
      init.dispatcher = new undici.EnvHttpProxyAgent();
    } catch {
      return null;
    }
  }
  try {
    const res = await doFetch(url, init);
    return `the host answers (HTTP ${res.status})`;
  } catch (err) {
    return describeFetchError(err);
  }
}

/**
 * Runs the command with ELECTRON_EXEC_PATH set; exits with its exit code.
 * @param {string[]} command
 * @param {string} binary
 */
function runCommand(command, binary) {
  const [cmd, ...args] = command;
  const bin = join(ROOT, 'node_modules', '.bin');
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ELECTRON_EXEC_PATH: binary };
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = env[pathKey] ? `${bin}${delimiter}${env[pathKey]}` : bin;
  const child = spawn(/** @type {string} */ (cmd), args, {
    cwd: ROOT,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (err) => fail(`could not start ${cmd}: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  const command = parseArgs(process.argv.slice(2));
  const pkgDir = electronPackageDir(ROOT);
  if (!pkgDir) return fail('The electron package is not installed here: run `npm install` first.');

  let found = findElectronBinary(pkgDir);
  if ('missing' in found) {
    if (found.override) return fail(`Cannot start Electron: ${found.missing}.`);
    const version = packageVersion(pkgDir);
    const base = {
      version,
      platform: process.env.ELECTRON_INSTALL_PLATFORM || process.platform,
      arch: process.env.ELECTRON_INSTALL_ARCH || process.arch,
      command: commandName(process.env),
    };
    const skipFlag = skipDownloadFlag(process.env);
    if (skipFlag) return fail(failureMessage({ ...base, skipFlag }));

    const { env, notes } = installerEnv(process.env);
    console.log(
      `Genesys Chat Tray: downloading Electron ${version} for ${base.platform}-${base.arch}, once ` +
        `(about 100 MB)${notes.length ? `, ${notes.join(', ')}` : ''}...`,
    );
    const result = await runInstaller(pkgDir, env);
    found = findElectronBinary(pkgDir);
    if (result.code !== 0 || 'missing' in found) {
      const { url, error } = readInstallerOutput(result.stderr);
      const network =
        !error || /fetch failed|ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket|network/i.test(error);
      const probed = url && network ? await probe(url, env, pkgDir) : null;
      const installerError =
        error ?? (result.code === 0 && 'missing' in found ? `it finished, but ${found.missing}` : null);
      return fail(failureMessage({ ...base, skipFlag: null, error: installerError, url, probe: probed }));
    }
    console.log(`Electron ${version} is installed: ${found.path}`);
  }
  if (command.length) runCommand(command, found.path);
}

await main();
