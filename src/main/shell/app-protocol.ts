// The app's own scheme, gct://popup/, from which the popup is loaded instead of file:// (Electron's
// security checklist, item 18; the packaged app also turns the grantFileProtocolExtraPrivileges
// fuse off, so file:// pages follow Chromium's rules and the built popup's module script would be
// blocked). Electron-free: a request URL goes in, a fetch Response comes out; the Electron adapter
// registers it with protocol.handle, and the Chromium E2E serves the built popup through it.
//
// Only files inside the built renderer folder are served: dot segments, encoded separators and
// backslashes are refused, and a symlink that leads outside is refused after resolving it. Each
// answer carries its MIME type and `nosniff`; the page also gets its CSP as a response header
// (taken from its own meta tag, plus `frame-ancestors 'none'`, which a meta tag cannot carry).
import { promises as fs } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'gct';
export const APP_HOST = 'popup';
/** The popup's document. */
export const POPUP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Standard (relative URLs resolve, the page has an origin of its own), secure (a secure context,
 * like https), and fetch-capable, as Element desktop registers its scheme. Not corsEnabled: other
 * origins cannot read it. Not bypassCSP: the page's CSP applies.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/**
 * The dev server electron-vite's `dev` names in ELECTRON_RENDERER_URL, honoured only when the app
 * is not packaged: an installed app loads nothing but its own files, whatever its environment says.
 */
export function devServerUrl(isPackaged: boolean, value: string | undefined): string | undefined {
  return isPackaged || !value ? undefined : value;
}

/** What the handler needs of a request (Electron's protocol.handle passes a fetch Request). */
export interface AppRequest {
  url: string;
  method: string;
}

export interface AppProtocolOptions {
  /** The built renderer folder (out/renderer): nothing outside it is served. */
  rootDir: string;
  /** Refused requests are logged (with the reason), not thrown. */
  log?: (message: string) => void;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The MIME type served for a file name; anything unknown is opaque bytes (with nosniff). */
export function mimeType(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Used when a page has no CSP meta tag: nothing loads, so the mistake shows at once. */
const FALLBACK_CSP = "default-src 'none'";

/** The CSP of an HTML page's meta tag, or null. */
export function metaCsp(html: string): string | null {
  const tag = /<meta\b[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>/i.exec(html)?.[0];
  const content = tag ? /\bcontent\s*=\s*"([^"]*)"|\bcontent\s*=\s*'([^']*)'/i.exec(tag) : null;
  const value = content?.[1] ?? content?.[2];
  if (!value) return null;
  return value
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The CSP header for a page: its own policy, and no framing by anyone. */
export function cspHeader(html: string): string {
  return `${metaCsp(html) ?? FALLBACK_CSP}; frame-ancestors 'none'`;
}

type Refusal = { status: 400 | 403 | 404 | 405; reason: string };

/** The file a request URL names inside `root`, or why it is refused (before touching the disk). */
export function resolveRequestPath(url: string, root: string): { file: string } | Refusal {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { status: 404, reason: `not ${APP_SCHEME}://${APP_HOST}/` };
  }
  if (parsed.username || parsed.password) return { status: 400, reason: 'credentials in the URL' };
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname || '/');
  } catch {
    return { status: 400, reason: 'bad percent-encoding' };
  }
  // Decoded once only: `%2e%2e%2f` must not become a way up, `%5c` not a Windows separator.
  if (/[\\\0:]/.test(path) || path.split('/').includes('..')) {
    return { status: 403, reason: 'path traversal' };
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, `.${path}`);
  const rel = relative(root, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return { status: 403, reason: 'outside the app' };
  return { file };
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra },
  });
}

/** The protocol handler: request → the file's Response, or 400/403/404/405 with a reason. */
export function createAppProtocolHandler(
  opts: AppProtocolOptions,
): (request: AppRequest) => Promise<Response> {
  const root = resolve(opts.rootDir);
  const log = opts.log ?? (() => {});
  let realRoot: Promise<string> | null = null;

  const refuse = (request: AppRequest, r: Refusal): Response => {
    log(`app scheme: ${r.status} for ${request.method} ${request.url.slice(0, 200)} (${r.reason})`);
    return plain(r.status, r.status === 404 ? 'Not found' : r.status === 403 ? 'Forbidden' : 'Bad request');
  };

  return async (request) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      log(`app scheme: 405 for ${method} ${request.url.slice(0, 200)}`);
      return plain(405, 'Method not allowed', { allow: 'GET, HEAD' });
    }
    const target = resolveRequestPath(request.url, root);
    if ('status' in target) return refuse(request, target);
    let real: string;
    try {
      realRoot ??= fs.realpath(root);
      real = await fs.realpath(target.file);
      const base = await realRoot;
      if (real !== base && !real.startsWith(base + sep)) {
        return refuse(request, { status: 403, reason: 'a link leading outside the app' });
      }
      if (!(await fs.stat(real)).isFile()) return refuse(request, { status: 404, reason: 'not a file' });
    } catch {
      realRoot = null;
      return refuse(request, { status: 404, reason: 'no such file' });
    }
    let body: Buffer;
    try {
      body = await fs.readFile(real);
    } catch {
      return refuse(request, { status: 404, reason: 'unreadable' });
    }
    const type = mimeType(real);
    const headers: Record<string, string> = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = cspHeader(body.toString('utf8'));
    return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
