// The headless runner bundled the way electron-vite bundles the app's main process (our sources and
// zod in one ES module, the other `dependencies` left to node_modules, the same output options), so the idle
// figure can be compared with the engine as it runs in the app rather than through Node's
// TypeScript loader.
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { asciiOnly, BUNDLED_DEPENDENCIES, MAIN_BUNDLE_OUTPUT } from '../../scripts/main-bundle.ts';
import { ROOT_DIR } from './util.ts';

/**
 * Bundles into a temporary folder (outside the repository, so no linter sees it) that links to the
 * repository's node_modules for the dependencies. Returns the bundle's path.
 */
export async function bundleHeadless(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gct-bench-bundle-'));
  symlinkSync(join(ROOT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const bundle = join(dir, 'cli.mjs');
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const bundled: readonly string[] = BUNDLED_DEPENDENCIES;
  const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !bundled.includes(name));
  try {
    await build({
      cwd: ROOT_DIR,
      input: join(ROOT_DIR, 'src/main/headless/cli.ts'),
      platform: 'node',
      external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
      logLevel: 'warn',
      plugins: [asciiOnly()],
      output: { file: bundle, format: 'esm', ...MAIN_BUNDLE_OUTPUT },
    });
  } catch (err) {
    throw new Error(`bundling the headless runner failed: ${(err as Error).message}`, { cause: err });
  }
  return bundle;
}
