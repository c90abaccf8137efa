// @ts-check
// The parts of scripts/ensure-electron.mjs that decide and explain, without side effects: which
// environment Electron's own installer gets (proxy settings), what its output says went wrong,
// and the message with the remedies when the download fails. The download itself is always
// Electron's installer (node_modules/electron/install.js, @electron/get underneath).

/** Debug namespace of @electron/get whose lines name the URL it fetches. */
const GET_DEBUG = '@electron/get:index';

/**
 * The value of ELECTRON_SKIP_BINARY_DOWNLOAD when it asks not to download, else null.
 * @param {NodeJS.ProcessEnv} env
 */
export function skipDownloadFlag(env) {
  const value = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  if (value === undefined || ['', '0', 'false', 'no'].includes(value.trim().toLowerCase())) return null;
  return value;
}

/**
 * The environment for Electron's installer, and what was changed, in words.
 *
 * Electron 45's downloader (@electron/get 5) uses a proxy only when ELECTRON_GET_USE_PROXY is set,
 * and then reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (undici's EnvHttpProxyAgent). Older Electron
 * versions read GLOBAL_AGENT_HTTPS_PROXY instead, and npm keeps its own proxy setting: each of
 * those is carried over to HTTPS_PROXY / HTTP_PROXY, and any proxy setting turns the downloader's
 * proxy support on. The installer also logs the URL it fetches (for the failure message).
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ env: NodeJS.ProcessEnv, notes: string[] }}
 */
export function installerEnv(env) {
  const out = { ...env };
  /** @type {string[]} */
  const notes = [];
  /** @param {string} name */
  const get = (name) => env[name] || env[name.toLowerCase()] || '';
  const https = get('HTTPS_PROXY') || get('GLOBAL_AGENT_HTTPS_PROXY') || env.npm_config_https_proxy || '';
  const http = get('HTTP_PROXY') || get('GLOBAL_AGENT_HTTP_PROXY') || env.npm_config_proxy || '';
  if (https && !get('HTTPS_PROXY')) out.HTTPS_PROXY = https;
  if (http && !get('HTTP_PROXY')) out.HTTP_PROXY = http;
  if (!get('NO_PROXY') && (env.GLOBAL_AGENT_NO_PROXY || env.npm_config_noproxy)) {
    out.NO_PROXY = env.GLOBAL_AGENT_NO_PROXY || env.npm_config_noproxy;
  }
  if ((https || http) && !env.ELECTRON_GET_USE_PROXY) {
    out.ELECTRON_GET_USE_PROXY = '1';
    notes.push(`through the proxy ${redactUrl(https || http)}`);
  }
  out.DEBUG = env.DEBUG ? `${env.DEBUG},${GET_DEBUG}` : GET_DEBUG;
  out.DEBUG_COLORS = 'no';
  return { env: out, notes };
}

/**
 * What Electron's installer printed (stderr, with @electron/get's debug lines): the URL it fetched
 * and its error, without the stack.
 * @param {string} text
 * @returns {{ url: string | null, error: string | null }}
 */
export function readInstallerOutput(text) {
  let url = null;
  const errors = [];
  for (const line of text.split(/\r?\n/)) {
    const fetching =
      /@electron\/get:index (?:Downloading (\S+) to |Checking the cache \(.*?\) for \S+ \((\S+)\))/.exec(
        line,
      );
    if (fetching) {
      url = fetching[1] ?? fetching[2] ?? url;
      continue;
    }
    if (/@electron\/get:/.test(line) || /^\s+at /.test(line) || !line.trim()) continue;
    errors.push(line.trim());
  }
  return { url, error: errors.length ? errors.slice(0, 3).join(' / ') : null };
}

/**
 * The words for a failed fetch: Node says "fetch failed" and keeps the reason in `cause`.
 * @param {unknown} err
 */
export function describeFetchError(err) {
  /** @type {any} */
  let e = err;
  /** @type {string[]} */
  const parts = [];
  for (let depth = 0; e && depth < 4; depth++) {
    const inner = Array.isArray(e.errors) && e.errors.length ? e.errors[0] : null;
    const text =
      e.code && !String(e.message).includes(e.code) ? `${e.code}: ${e.message}` : String(e.message);
    if (text && text !== 'fetch failed' && !parts.includes(text)) parts.push(text);
    e = e.cause ?? inner;
  }
  return parts.join(': ') || 'fetch failed';
}

/**
 * Removes a user name and password from a URL before it is printed.
 * @param {string} value
 */
export function redactUrl(value) {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    return url.href;
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * How the user started this: `npm start`, `npm run dev`, or the script itself.
 * @param {NodeJS.ProcessEnv} env
 */
export function commandName(env) {
  const event = env.npm_lifecycle_event;
  if (event === 'start') return 'npm start';
  if (event) return `npm run ${event}`;
  return 'node scripts/ensure-electron.mjs';
}

/**
 * @typedef {object} Failure
 * @property {string} version Electron's version, e.g. 45.4.1
 * @property {string} platform
 * @property {string} arch
 * @property {string} command what the user typed (commandName)
 * @property {string | null} skipFlag ELECTRON_SKIP_BINARY_DOWNLOAD's value, when that stopped it
 * @property {string | null} [error] what the installer said
 * @property {string | null} [url] what it fetched
 * @property {string | null} [probe] what connecting to that URL gave
 */

/**
 * The message when the binary is missing and could not be downloaded: what happened, then what
 * to do (offline, a proxy, a mirror, by hand).
 * @param {Failure} f
 */
export function failureMessage(f) {
  const zip = `electron-v${f.version}-${f.platform}-${f.arch}.zip`;
  const lines = [];
  if (f.skipFlag) {
    lines.push(
      `Genesys Chat Tray cannot start: Electron ${f.version} (${f.platform}-${f.arch}) is not installed, and`,
      `ELECTRON_SKIP_BINARY_DOWNLOAD=${f.skipFlag} says not to download it.`,
      `To download it now: ELECTRON_SKIP_BINARY_DOWNLOAD= ${f.command}`,
    );
  } else {
    lines.push(
      `Genesys Chat Tray cannot start: Electron ${f.version} (${f.platform}-${f.arch}) is not installed, and downloading it failed.`,
    );
    if (f.error) lines.push(`  Electron's installer said: ${f.error}`);
    if (f.url) lines.push(`  The download: ${redactUrl(f.url)}`);
    if (f.url && f.probe) lines.push(`  Connecting to it now: ${f.probe}`);
    lines.push(
      '',
      `${f.command} needs Electron's binary once (about 100 MB); it is kept in node_modules/electron/dist.`,
    );
  }
  lines.push(
    'What to do:',
    `  - Offline: connect to the internet and run ${f.command} again.`,
    '  - Behind a proxy: tell the download about it, for example',
    `      ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy.example.com:8080 ${f.command}`,
    "    (NO_PROXY lists hosts to reach directly; GLOBAL_AGENT_HTTPS_PROXY and npm's https-proxy are",
    '    read too). If the proxy inspects TLS, also NODE_EXTRA_CA_CERTS=/path/to/its-ca.pem.',
    '  - From a mirror (a company mirror, or https://npmmirror.com/mirrors/electron/):',
    `      ELECTRON_MIRROR=https://mirror.example.com/electron/ ${f.command}`,
    `    The mirror must serve v${f.version}/${zip} (electron_mirror in .npmrc works too).`,
    `  - By hand: get ${zip} from`,
    `    https://github.com/electron/electron/releases/tag/v${f.version} on a machine that can, unzip it`,
    `    into a folder, and run: ELECTRON_OVERRIDE_DIST_PATH=/that/folder ${f.command}`,
    "Electron's installer alone, to retry just the download: npx --no install-electron",
  );
  return lines.join('\n');
}
