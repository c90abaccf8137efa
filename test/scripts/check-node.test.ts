// The Node version check every npm script runs first (scripts/check-node.mjs), and `engine-strict`
// in .npmrc: the decision on its own, then with a real older Node where the machine has one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minimumFromRange, nodeVersionProblem, requiredRange } from '../../scripts/check-node.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

describe('the Node version decision', () => {
  it('reads the minimum from package.json, the one place it is written', () => {
    expect(requiredRange()).toBe(pkg.engines.node);
    expect(minimumFromRange(pkg.engines.node)).toEqual([22, 12, 0]);
    expect(minimumFromRange('>= 22.12.3')).toEqual([22, 12, 3]);
    expect(minimumFromRange('^22')).toBeNull();
    expect(() => nodeVersionProblem('22.12.0', '^22')).toThrow(/not of the form/);
  });

  it.each([
    ['20.20.2', 'v20.20.2'],
    ['18.19.0', 'v18.19.0'],
    ['22.11.0', 'v22.11.0'],
    ['22.6.0', 'v22.6.0'],
    ['v21.7.3', 'v21.7.3'],
  ])('refuses %s, naming what it needs and what it found', (version, shown) => {
    expect(nodeVersionProblem(version, '>=22.12')).toBe(
      `Genesys Chat Tray needs Node 22.12 or newer, this is ${shown}`,
    );
  });

  it.each(['22.12.0', '22.23.5', '23.0.0', '24.1.0', '100.0.0'])('accepts %s', (version) => {
    expect(nodeVersionProblem(version, '>=22.12')).toBeNull();
  });

  it('compares patch versions when the minimum has one', () => {
    expect(nodeVersionProblem('22.12.0', '>=22.12.1')).toMatch(/needs Node 22\.12\.1 or newer/);
    expect(nodeVersionProblem('22.12.1', '>=22.12.1')).toBeNull();
  });

  it('refuses a version it cannot read rather than guessing', () => {
    expect(nodeVersionProblem('nightly', '>=22.12')).toMatch(/cannot read/);
  });
});

/** A Node older than package.json allows, on PATH or in the usual places. */
function findOldNode(): { path: string; version: string } | { none: string } {
  const candidates = new Set<string>();
  if (process.env.GCT_OLD_NODE) candidates.add(process.env.GCT_OLD_NODE);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.add(join(dir, 'node'));
  for (const path of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) candidates.add(path);
  const seen: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    const r = spawnSync(real, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 });
    const version = r.stdout?.trim();
    if (r.status !== 0 || !version) continue;
    seen.push(`${candidate} v${version}`);
    if (nodeVersionProblem(version, pkg.engines.node)) return { path: candidate, version };
  }
  return { none: `no Node older than 22.12 on this machine (found: ${seen.join(', ') || 'none'})` };
}

const old = findOldNode();
const oldTitle = 'path' in old ? `Node v${old.version} at ${old.path}` : `skipped: ${old.none}`;

/** The environment of a user whose first `node` on PATH is the old one, without npm's own variables. */
function oldNodeEnv(nodePath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || /^ELECTRON_/i.test(key) || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  env.PATH = `${dirname(nodePath)}${delimiter}${process.env.PATH ?? ''}`;
  // Should a guard ever be missing, nothing may be downloaded or left running.
  env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  return env;
}

describe.skipIf(!('path' in old))(`with a real older Node first on PATH (${oldTitle})`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gct-old-node-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // `test` gets --help: should its check ever be missing, it prints the usage instead of running
  // the whole suite, and the test still fails.
  const scripts: [string, string][] = [
    ['test', ' --help'],
    ['simulator', ' --help'],
    ['headless', ' --help'],
    ['soak', ' --help'],
    ['bench', ' --help'],
    ['start', ''],
    ['dev', ''],
    ['dist:linux', ''],
  ];
  it.each(scripts)('npm run %s says which Node it needs, at once, instead of a flag error', (name, extra) => {
    const { path, version } = old as { path: string; version: string };
    const line = pkg.scripts[name];
    expect(line, name).toBeTruthy();
    const started = Date.now();
    // What `npm run <name>` runs: the script line, in a shell, in the project folder.
    const r = spawnSync('sh', ['-c', `${line}${extra}`], {
      cwd: ROOT,
      env: oldNodeEnv(path),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, `${name}: ${r.stdout}${r.stderr}`).toBe(1);
    expect(r.stderr).toContain(`Genesys Chat Tray needs Node 22.12 or newer, this is v${version}`);
    expect(r.stderr).not.toMatch(/bad option/);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  const npm = 'path' in old ? join(dirname(old.path), 'npm') : '';
  const npmTitle = existsSync(npm) ? npm : `skipped: no npm next to ${'path' in old ? old.path : 'it'}`;
  it.skipIf(!existsSync(npm))(
    `npm install (${npmTitle}) stops at once with engine-strict, naming Node 22.12`,
    () => {
      const { path } = old as { path: string; version: string };
      for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
        copyFileSync(join(ROOT, file), join(scratch, file));
      }
      const r = spawnSync(
        npm,
        ['install', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
        {
          cwd: scratch,
          env: oldNodeEnv(path),
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      const out = `${r.stdout}${r.stderr}`;
      expect(r.status, out).not.toBe(0);
      expect(out).toMatch(/EBADENGINE/);
      expect(out).toContain('"node":">=22.12"');
      expect(out).not.toMatch(/added \d+ packages/);
      expect(existsSync(join(scratch, 'node_modules'))).toBe(false);
    },
  );
});
