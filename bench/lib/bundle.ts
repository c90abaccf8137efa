// The headless runner bundled the way electron-vite bundles the app's main process (our sources in
// one ES module, the `dependencies` left to node_modules), so the idle figure can be compared
// with the engine as it runs in the app rather than through Node's TypeScript loader.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from './util.ts';

/**
 * Bundles into a temporary folder (outside the repository, so no linter sees it) that links to the
 * repository's node_modules for the dependencies. Returns the bundle's path.
 */
export function bundleHeadless(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gct-bench-bundle-'));
  symlinkSync(join(ROOT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const bundle = join(dir, 'cli.mjs');
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const external = Object.keys(pkg.dependencies ?? {});
  const res = spawnSync(
    process.execPath,
    [
      join(ROOT_DIR, 'node_modules', 'rolldown', 'bin', 'cli.mjs'),
      'src/main/headless/cli.ts',
      '--platform',
      'node',
      '--format',
      'esm',
      '--file',
      bundle,
      ...external.flatMap((name) => ['--external', name]),
    ],
    { cwd: ROOT_DIR, encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`bundling the headless runner failed:\n${res.stderr}${res.stdout}`);
  return bundle;
}
