// @ts-check
// The Node version check every npm script runs first, in plain JavaScript that even an old Node
// can parse: `node scripts/check-node.mjs && node --experimental-strip-types ...` says
// "needs Node 22.12 or newer, this is v20.20.2" instead of Node 20's `bad option:
// --experimental-strip-types`. The minimum is package.json's `engines.node` (also what
// `engine-strict` in .npmrc makes `npm install` enforce), so it is written down once.
//
// Run as a script it exits 1 with that message on an older Node; imported, it exports the
// decision (`nodeVersionProblem`) and `requireSupportedNode()` for other plain-JS scripts.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const PACKAGE_JSON = new URL('../package.json', import.meta.url);

/**
 * The minimum version in an `engines.node` range of the form `>=22.12` or `>= 22.12.0`.
 * @param {string} range
 * @returns {[number, number, number] | null}
 */
export function minimumFromRange(range) {
  const match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (!match) return null;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/**
 * Why this Node cannot run the project, or null when it can.
 * @param {string} version `process.versions.node`, e.g. `20.20.2`
 * @param {string} range package.json's `engines.node`, e.g. `>=22.12`
 * @returns {string | null}
 */
export function nodeVersionProblem(version, range) {
  const minimum = minimumFromRange(range);
  if (!minimum) throw new Error(`package.json engines.node "${range}" is not of the form ">=X.Y"`);
  const wanted = minimum[2] ? minimum.join('.') : `${minimum[0]}.${minimum[1]}`;
  const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  const shown = version.startsWith('v') ? version : `v${version}`;
  const need = `Genesys Chat Tray needs Node ${wanted} or newer, this is ${shown}`;
  if (!parts) return `${need} (a version this check cannot read)`;
  const have = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  for (let i = 0; i < 3; i++) {
    if (/** @type {number} */ (have[i]) > /** @type {number} */ (minimum[i])) return null;
    if (/** @type {number} */ (have[i]) < /** @type {number} */ (minimum[i])) return need;
  }
  return null;
}

/**
 * The remedy printed under the problem.
 * @param {string} execPath
 */
export function nodeVersionAdvice(execPath) {
  return [
    `  (${execPath})`,
    'Install Node 22 LTS or newer (https://nodejs.org/, or `nvm install 22`, `fnm install 22`,',
    '`volta install node@22`), make it the first `node` on your PATH, and run the command again.',
  ].join('\n');
}

/** package.json's `engines.node`. */
export function requiredRange() {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
  return String(pkg.engines?.node ?? '');
}

/** Exits the process with the reason when this Node is too old; returns when it is new enough. */
export function requireSupportedNode() {
  const problem = nodeVersionProblem(process.versions.node, requiredRange());
  if (!problem) return;
  console.error(`${problem}.\n${nodeVersionAdvice(process.execPath)}`);
  process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) requireSupportedNode();
