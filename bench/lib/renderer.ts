// The popup: the gzip size of the built renderer's JavaScript, and its first contentful paint in
// Debian's Chromium. The page gets the same test-only `window.gct` bridge as the E2E tests
// (test/e2e/harness.ts), backed by a real AppController running the demo org, so it renders the
// inbox it would show in the app.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { installTestBridge, RENDERER_DIR, startDemoApp, startStaticServer } from '../../test/e2e/harness.ts';
import { log, median, round, ROOT_DIR } from './util.ts';

export interface RendererResult {
  jsBytes: number;
  jsGzipKb: number;
  jsFiles: number;
  /** First contentful paint of each load, in order (the first is a cold browser). */
  paints: number[];
  firstPaintMs: number;
  built: 'existing' | 'rebuilt';
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function newestMtime(dir: string): number {
  return Math.max(0, ...files(dir).map((f) => statSync(f).mtimeMs));
}

/** Builds out/ when the renderer was never built or its sources changed since (or when forced). */
function ensureBuilt(force: boolean): RendererResult['built'] {
  const index = join(RENDERER_DIR, 'index.html');
  const stale =
    !existsSync(index) ||
    Math.max(newestMtime(join(ROOT_DIR, 'src', 'renderer')), newestMtime(join(ROOT_DIR, 'src', 'shared'))) >
      statSync(index).mtimeMs;
  if (!force && !stale) return 'existing';
  log('building the renderer (npx electron-vite build)');
  // The build's report goes to stderr with the progress lines; stdout is the table.
  const res = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT_DIR, stdio: ['ignore', 2, 2] });
  if (res.status !== 0) throw new Error('electron-vite build failed');
  return 'rebuilt';
}

export interface RendererOptions {
  loads: number;
  build: boolean;
  chromiumPath: string;
}

export async function measureRenderer(opts: RendererOptions): Promise<RendererResult> {
  const built = ensureBuilt(opts.build);
  const js = files(RENDERER_DIR).filter((f) => /\.m?js$/.test(f));
  let jsBytes = 0;
  let gzBytes = 0;
  for (const f of js) {
    const body = readFileSync(f);
    jsBytes += body.length;
    gzBytes += gzipSync(body).length; // zlib's default level (6), as a web server would send it
  }

  const server = await startStaticServer();
  const demo = await startDemoApp(7);
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const paints: number[] = [];
  try {
    for (let i = 0; i < opts.loads; i++) {
      // A fresh context each time: no cache, a new renderer process, like the app's first show.
      const context = await browser.newContext({ viewport: { width: 380, height: 560 } });
      const page = await context.newPage();
      await installTestBridge(page, demo.deps);
      await page.goto(server.url, { waitUntil: 'load' });
      const fcp = await page
        .waitForFunction(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
          undefined,
          { timeout: 10_000 },
        )
        .then((h) => h.jsonValue());
      paints.push(round(Number(fcp)));
      await context.close();
    }
  } finally {
    await browser.close();
    await demo.stop();
    await server.close();
  }
  return {
    jsBytes,
    jsGzipKb: round(gzBytes / 1024),
    jsFiles: js.length,
    paints,
    firstPaintMs: round(median(paints)),
    built,
  };
}
