#!/usr/bin/env node
// `npm test`: every check the project has, in order, stopping at the first step that fails:
//
//   lint       npm run lint                 ESLint (--max-warnings 0) + Prettier + knip (dead code)
//   typecheck  npm run typecheck            tsc + svelte-check
//   build      npm run build                electron-vite → out/
//   vitest     npx vitest run               Node + renderer projects, inside a real Secret Service
//   e2e        npx playwright test --project=chromium   built renderer in Debian's Chromium
//   electron   npx playwright test --project=electron   the built app in Electron (skips visibly
//                                                       where no Electron binary is installed)
//
// Closes with ONE plain line summing vitest and Playwright: `test: N passed, N failed, N skipped`,
// and exits non-zero if anything failed. A failing lint/typecheck/build step counts as 1 failure.
//
// Local use: `node scripts/test.mjs --only vitest,e2e` runs just those steps (in the order above).
//
// Keyring: the vitest step needs an unlocked Secret Service for the real-keyring tests. When the
// shell has no D-Bus session, or its keyring does not answer a write/read/delete probe, the step
// runs under scripts/with-keyring.sh (private dbus + gnome-keyring). GCT_REQUIRE_KEYRING=1 is set
// when that wrapper is used or CI=true, so the keyring tests fail rather than skip there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireSupportedNode } from './check-node.mjs';
import { electronPackageDir, findElectronBinary } from './electron-binary.mjs';

// Before anything else: on an older Node, say so (and stop) instead of running for minutes.
requireSupportedNode();

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const VITEST_JSON = join(ARTIFACTS, 'vitest-results.json');
const PW_JSON = (project) => join(ARTIFACTS, `playwright-${project}-results.json`);
const IS_WIN = process.platform === 'win32';
const IS_CI = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());

const STEP_NAMES = ['lint', 'typecheck', 'build', 'vitest', 'e2e', 'electron'];
const ALIASES = { chromium: 'e2e', unit: 'vitest', types: 'typecheck' };

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(code) {
  console.log(
    [
      'usage: node scripts/test.mjs [--only STEP[,STEP...]]',
      `steps, in order: ${STEP_NAMES.join(', ')} (aliases: chromium=e2e, unit=vitest, types=typecheck)`,
    ].join('\n'),
  );
  process.exit(code);
}

function parseArgs(argv) {
  let only = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') usage(0);
    let value;
    if (arg === '--only') value = argv[++i];
    else if (arg.startsWith('--only=')) value = arg.slice('--only='.length);
    else {
      console.error(`test.mjs: unknown argument ${arg}`);
      usage(2);
    }
    if (!value) usage(2);
    only ??= new Set();
    for (const raw of value.split(',')) {
      const name = ALIASES[raw.trim()] ?? raw.trim();
      if (!STEP_NAMES.includes(name)) {
        console.error(`test.mjs: unknown step "${raw}"`);
        usage(2);
      }
      only.add(name);
    }
  }
  return { only };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs a command with inherited stdio; resolves to its exit code (signals → 128+n). */
function run(cmd, args, { env = process.env } = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit', shell: IS_WIN });
    child.on('error', (err) => {
      console.error(`test.mjs: could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (osSignal(signal) ?? 1) : 1)));
  });
}

function osSignal(name) {
  return { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }[name];
}

function has(command) {
  if (IS_WIN) return false;
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Keyring (vitest step)

/** Can a child process write, read and delete a keyring entry in the current session? */
function probeKeyring() {
  if (process.platform !== 'linux') return { ok: true, reason: 'not Linux: the OS keyring is built in' };
  if (!process.env.DBUS_SESSION_BUS_ADDRESS)
    return { ok: false, reason: 'DBUS_SESSION_BUS_ADDRESS is unset' };
  const script = `
    const keytar = require('keytar');
    const service = 'gct-keyring-probe-' + process.pid;
    (async () => {
      await keytar.setPassword(service, 'probe', 'probe');
      const back = await keytar.getPassword(service, 'probe');
      await keytar.deletePassword(service, 'probe');
      if (back !== 'probe') throw new Error('a probe secret did not read back');
    })().catch((err) => { console.error(err.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { ok: false, reason: `keyring probe: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `keyring probe failed: ${r.stderr.trim() || r.status}` };
  return { ok: true, reason: 'the session keyring answered a write/read/delete probe' };
}

// ---------------------------------------------------------------------------------------------
// Electron binary (electron step), found without requiring `electron` (which would download it)

function electronBinary() {
  const pkgDir = electronPackageDir(ROOT);
  if (!pkgDir) return null;
  const found = findElectronBinary(pkgDir);
  return 'path' in found ? found.path : null;
}

// ---------------------------------------------------------------------------------------------
// Result files → counts

function vitestCounts(path) {
  const json = readJson(path);
  if (!json) return null;
  const skippedNames = [];
  let brokenFiles = 0;
  for (const file of json.testResults ?? []) {
    const assertions = file.assertionResults ?? [];
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      brokenFiles++;
      console.log(`vitest: ${file.name} failed outside any test: ${(file.message ?? '').split('\n')[0]}`);
    }
    for (const a of assertions) {
      if (['skipped', 'pending', 'todo'].includes(a.status)) skippedNames.push(`vitest: ${a.fullName}`);
    }
  }
  return {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + brokenFiles,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    skippedNames,
  };
}

function playwrightCounts(path, project) {
  const json = readJson(path);
  if (!json?.stats) return null;
  const skippedNames = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description;
        skippedNames.push(`${project}: ${[...titles, spec.title].join(' › ')}${why ? ` — ${why}` : ''}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of json.suites ?? []) walk(suite, [suite.title]);
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = json.stats;
  return { passed: expected, failed: unexpected + flaky, skipped, skippedNames };
}

// ---------------------------------------------------------------------------------------------
// Steps

const steps = {
  lint: () => run('npm', ['run', 'lint']),
  typecheck: () => run('npm', ['run', 'typecheck']),
  build: () => run('npm', ['run', 'build']),

  async vitest() {
    rmSync(VITEST_JSON, { force: true });
    const env = { ...process.env };
    const args = [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_JSON}`,
    ];
    const keyring = probeKeyring();
    let cmd = 'npx';
    let cmdArgs = args;
    if (keyring.ok) {
      console.log(`keyring: using this session's Secret Service (${keyring.reason})`);
      if (IS_CI) env.GCT_REQUIRE_KEYRING = '1';
    } else if (['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'].every(has)) {
      console.log(`keyring: ${keyring.reason}; running vitest under scripts/with-keyring.sh`);
      cmd = 'bash';
      cmdArgs = [join(ROOT, 'scripts', 'with-keyring.sh'), 'npx', ...args];
      env.GCT_REQUIRE_KEYRING = '1';
    } else {
      console.log(
        `keyring: ${keyring.reason}, and dbus-run-session/gnome-keyring-daemon are missing ` +
          '(Debian: apt-get install dbus dbus-x11 gnome-keyring libsecret-tools); ' +
          (IS_CI ? 'CI=true, so the keyring tests will fail' : 'the keyring tests will be skipped'),
      );
      if (IS_CI) env.GCT_REQUIRE_KEYRING = '1';
    }
    const code = await run(cmd, cmdArgs, { env });
    return { code, counts: vitestCounts(VITEST_JSON) };
  },

  async e2e() {
    const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
    if (!existsSync(chromium)) {
      console.log(`e2e: no Chromium at ${chromium} (Debian: apt-get install chromium, or set CHROMIUM_PATH)`);
      return { code: 1, counts: null };
    }
    return playwright('chromium');
  },

  async electron() {
    const binary = electronBinary();
    let prefix = [];
    if (!binary) {
      console.log(
        'electron: no Electron binary installed' +
          (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
            ? ` (ELECTRON_SKIP_BINARY_DOWNLOAD=${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD})`
            : '') +
          '; its tests will report as skipped',
      );
    } else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      if (has('xvfb-run')) {
        console.log('electron: no display; running under xvfb-run -a');
        prefix = ['xvfb-run', '-a', '--server-args=-screen 0 1280x1024x24'];
      } else {
        console.log('electron: no display and no xvfb-run (Debian: apt-get install xvfb xauth)');
      }
    }
    return playwright('electron', prefix);
  },
};

async function playwright(project, prefix = []) {
  const json = PW_JSON(project);
  rmSync(json, { force: true });
  const env = { ...process.env, GCT_PLAYWRIGHT_JSON: json };
  const args = ['npx', 'playwright', 'test', `--project=${project}`];
  const [cmd, ...rest] = [...prefix, ...args];
  const code = await run(cmd, rest, { env });
  return { code, counts: playwrightCounts(json, project) };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const { only } = parseArgs(process.argv.slice(2));
  const selected = STEP_NAMES.filter((name) => !only || only.has(name));
  mkdirSync(ARTIFACTS, { recursive: true });

  console.log(
    `test.mjs: node ${process.version}, CI=${IS_CI}, steps: ${selected.join(', ')}` +
      (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
        ? `, ELECTRON_SKIP_BINARY_DOWNLOAD=${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD}`
        : ''),
  );

  const totals = { passed: 0, failed: 0, skipped: 0 };
  const skippedNames = [];
  const report = [];
  let failedStep = null;
  const started = Date.now();

  for (const [index, name] of selected.entries()) {
    console.log(`\n==> [${index + 1}/${selected.length}] ${name}`);
    const t0 = Date.now();
    const outcome = await steps[name]();
    const ms = Date.now() - t0;
    const code = typeof outcome === 'number' ? outcome : outcome.code;
    const counts = typeof outcome === 'number' ? null : outcome.counts;
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      skippedNames.push(...counts.skippedNames);
    }
    // A step that failed without a failed test to show for it still counts as one failure.
    const ok = code === 0 && (!counts || counts.failed === 0);
    if (!ok && (!counts || counts.failed === 0)) {
      totals.failed += 1;
      console.log(`${name}: exited ${code} with no failed test counted; counted as 1 failure`);
    }
    const countText = counts
      ? ` (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`
      : '';
    console.log(`<== ${name} ${ok ? 'ok' : `FAILED (exit ${code})`} in ${seconds(ms)}${countText}`);
    report.push(
      `  ${name.padEnd(10)} ${(ok ? 'ok' : 'FAILED').padEnd(7)} ${seconds(ms).padStart(8)}${countText}`,
    );
    if (!ok) {
      failedStep = name;
      break;
    }
  }

  console.log('\n==> summary');
  for (const line of report) console.log(line);
  const notRun = selected.slice(report.length);
  if (notRun.length) console.log(`  not run after ${failedStep} failed: ${notRun.join(', ')}`);
  if (skippedNames.length) {
    console.log('skipped:');
    for (const line of skippedNames) console.log(`  - ${line}`);
  }
  console.log(`total ${seconds(Date.now() - started)}`);
  console.log(`test: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exitCode = failedStep || totals.failed > 0 ? 1 : 0;
}

await main();
