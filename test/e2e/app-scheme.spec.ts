// The BUILT popup served by the app scheme's handler (what the packaged app registers for
// gct://popup/), in Chromium: index.html, its module script and its stylesheet load with their MIME
// types and the CSP header, the page renders, and nothing outside out/renderer comes back. The
// same build opened over file://, as the packaged app used to, stays blank: why the scheme exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoAppInfo, expect, RENDERER_DIR, ROOT_DIR, shot, test } from './harness.ts';

test('the built popup loads and renders through the app scheme, with its CSP as a header', async ({
  openPopup,
  rendererServer,
}) => {
  const seen = rendererServer.responses.length;
  const { page, problems } = await openPopup({ appInfo: () => demoAppInfo() });
  await expect(page.getByTestId('app-name')).toHaveText('Genesys Chat Tray');
  await expect(page.getByTestId('app-mode')).toHaveText('Demo');

  const html = readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  const script = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)?.[1];
  const style = /<link rel="stylesheet"[^>]*href="\.\/([^"]+)"/.exec(html)?.[1];
  expect([meta, script, style].every(Boolean), 'the build has a CSP, a module script, a stylesheet').toBe(
    true,
  );

  const answers = rendererServer.responses.slice(seen);
  const answer = (path: string) => answers.find((r) => r.path === path);
  expect(answer('/')).toMatchObject({
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `${meta}; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
    },
  });
  expect(answer(`/${script}`)).toMatchObject({
    status: 200,
    headers: { 'content-type': 'text/javascript; charset=utf-8' },
  });
  expect(answer(`/${style}`)).toMatchObject({
    status: 200,
    headers: { 'content-type': 'text/css; charset=utf-8' },
  });

  // The stylesheet applies (the body's margin and themed background), the script ran (above).
  await expect(page.locator('body')).toHaveCSS('margin', '0px');
  await expect(page.locator('body')).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  expect(problems, 'no CSP violations, MIME refusals or failed loads').toEqual([]);
  await shot(page, 'app-scheme-popup');
});

test('nothing outside the built renderer comes back through the app scheme', async ({ rendererServer }) => {
  const pkg = readFileSync(join(ROOT_DIR, 'package.json'), 'utf8');
  for (const [path, status] of [
    ['..%2f..%2fpackage.json', 403],
    ['assets/..%2f..%2f..%2fpackage.json', 403],
    ['..%5c..%5cpackage.json', 403],
    ['%2e%2e/%2e%2e/package.json', 404],
    ['../main/index.js', 404],
    ['missing.js', 404],
  ] as const) {
    const res = await fetch(`${rendererServer.url}${path}`);
    expect(res.status, path).toBe(status);
    expect(await res.text()).not.toBe(pkg);
  }
});

test('the same build over file://, as the packaged app loaded it before, stays blank', async ({ page }) => {
  const blocked: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') blocked.push(msg.text());
  });
  await page.goto(pathToFileURL(join(RENDERER_DIR, 'index.html')).href, { waitUntil: 'load' });
  // Chromium refuses the module script (and the crossorigin stylesheet) of a file:// page.
  await expect.poll(() => blocked.join('\n')).toMatch(/CORS/);
  await expect(page.getByTestId('app-name')).toHaveCount(0);
  expect(await page.locator('#app').innerHTML()).toBe('');
  await shot(page, 'app-scheme-file-url-blank');
});
