// The app's scheme handler (gct://popup/) over a real folder: what the popup needs is served with
// the right types and its CSP as a header; nothing outside the folder is, however it is asked for.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  cspHeader,
  devServerUrl,
  metaCsp,
  mimeType,
  POPUP_URL,
} from '../../../src/main/shell/app-protocol.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'";
const INDEX = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${CSP}" />
<script type="module" crossorigin src="./assets/index-abc.js"></script>
<link rel="stylesheet" crossorigin href="./assets/index-abc.css"></head><body><div id="app"></div></body></html>`;
const SECRET = 'the contents of a file outside the app';

// scratch/
//   secret.txt           outside the renderer folder
//   renderer/            the root served
//     index.html, assets/index-abc.js, assets/index-abc.css, assets/font.woff2, assets/data.bin
//     assets/escape.txt  → ../../secret.txt (a symlink out)
//     assets/inside.js   → index-abc.js (a symlink within)
//     linked-dir         → .. (a directory symlink out)
const scratch = mkdtempSync(join(tmpdir(), 'gct-app-protocol-'));
const root = join(scratch, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(scratch, 'secret.txt'), SECRET);
writeFileSync(join(root, 'index.html'), INDEX);
writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log("app");');
writeFileSync(join(root, 'assets', 'index-abc.css'), 'body { color: red; }');
writeFileSync(join(root, 'assets', 'font.woff2'), 'wOF2');
writeFileSync(join(root, 'assets', 'data.bin'), 'bytes');
symlinkSync(join(scratch, 'secret.txt'), join(root, 'assets', 'escape.txt'));
symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'inside.js'));
symlinkSync(scratch, join(root, 'linked-dir'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const logs: string[] = [];
const handle = createAppProtocolHandler({ rootDir: root, log: (m) => logs.push(m) });
const get = (url: string, method = 'GET') => handle({ url, method });

describe('the app scheme serves the built popup', () => {
  it('serves index.html at / and /index.html, with its CSP also as a header', async () => {
    for (const url of ['gct://popup/', 'gct://popup', POPUP_URL, `${POPUP_URL}?x=1#top`]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(`${CSP}; frame-ancestors 'none'`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves the module script and the stylesheet with the types Chromium insists on', async () => {
    const js = await get('gct://popup/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe('console.log("app");');
    const css = await get('gct://popup/assets/index-abc.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('gct://popup/assets/font.woff2')).headers.get('content-type')).toBe('font/woff2');
    expect((await get('gct://popup/assets/data.bin')).headers.get('content-type')).toBe(
      'application/octet-stream',
    );
    expect(mimeType('A.SVG')).toBe('image/svg+xml');
  });

  it('answers HEAD without a body, and refuses other methods', async () => {
    const head = await get(POPUP_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get(POPUP_URL, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 404 for what is not there: a missing file, a folder, another host or scheme', async () => {
    for (const url of [
      'gct://popup/missing.js',
      'gct://popup/assets',
      'gct://popup/assets/',
      'gct://elsewhere/index.html',
      'gct://popup:8080/index.html',
      'https://popup/index.html',
      `file://${join(root, 'index.html')}`,
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
  });

  it('follows a link that stays inside the folder', async () => {
    const res = await get('gct://popup/assets/inside.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log("app");');
  });
});

describe('the app scheme never serves what is outside the folder', () => {
  it.each([
    // Dot segments the URL parser resolves itself: they end inside the folder, where nothing is.
    ['gct://popup/../secret.txt', 404],
    ['gct://popup/assets/../../secret.txt', 404],
    ['gct://popup/%2e%2e/secret.txt', 404],
    ['gct://popup/.%2E/.%2e/secret.txt', 404],
    // Encoded separators and backslashes, decoded once: refused outright.
    ['gct://popup/..%2fsecret.txt', 403],
    ['gct://popup/assets/..%2f..%2fsecret.txt', 403],
    ['gct://popup/%2e%2e%2f%2e%2e%2fsecret.txt', 403],
    ['gct://popup/..%5csecret.txt', 403],
    ['gct://popup/assets\\..\\..\\secret.txt', 403],
    ['gct://popup/index.html%00.js', 403],
    ['gct://popup/C:%2fWindows%2fwin.ini', 403],
    // Decoded once only: a double encoding is a file name with % in it, which is not there.
    ['gct://popup/%252e%252e%252fsecret.txt', 404],
    // Symlinks out, to a file or through a folder.
    ['gct://popup/assets/escape.txt', 403],
    ['gct://popup/linked-dir/secret.txt', 403],
    // Not a URL, or one with credentials, or a broken escape.
    ['gct://popup/%E0%A4%A', 400],
    ['gct://user:pw@popup/index.html', 400],
    ['not a url', 400],
  ])('%s → %i', async (url, status) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(await res.text()).not.toContain(SECRET);
  });

  it('logs each refusal with its reason', async () => {
    logs.length = 0;
    await get('gct://popup/assets/escape.txt');
    await get('gct://popup/..%2fsecret.txt');
    expect(logs).toEqual([
      'app scheme: 403 for GET gct://popup/assets/escape.txt (a link leading outside the app)',
      'app scheme: 403 for GET gct://popup/..%2fsecret.txt (path traversal)',
    ]);
  });
});

describe('the scheme and the page around it', () => {
  it('is standard and secure, and neither bypasses the CSP nor opens itself to other origins', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
    expect(POPUP_URL).toBe('gct://popup/index.html');
  });

  it("reads the page's CSP from its meta tag, and locks a page without one down", () => {
    expect(metaCsp(`<meta content="default-src &#39;none&#39;" http-equiv='content-security-policy'>`)).toBe(
      "default-src 'none'",
    );
    expect(metaCsp('<meta charset="utf-8">')).toBeNull();
    expect(cspHeader('<html></html>')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('honours ELECTRON_RENDERER_URL only when the app is not packaged', () => {
    expect(devServerUrl(false, 'http://localhost:5173/')).toBe('http://localhost:5173/');
    expect(devServerUrl(true, 'http://localhost:5173/')).toBeUndefined();
    expect(devServerUrl(false, undefined)).toBeUndefined();
    expect(devServerUrl(false, '')).toBeUndefined();
  });
});
