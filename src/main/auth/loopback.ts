// The loopback redirect listener for the system-browser sign-in (RFC 8252): a one-shot HTTP
// server on 127.0.0.1 at a fixed, configurable port that waits for Genesys to redirect back with
// `code` and `state`, answers with a plain page, and closes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const CALLBACK_PATH = '/oauth/callback';

export class SignInError extends Error {
  readonly reason: 'port-in-use' | 'timeout' | 'cancelled' | 'denied' | 'failed';
  constructor(reason: SignInError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface LoopbackOptions {
  port: number;
  state: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface LoopbackListener {
  redirectUri: string;
  /** Resolves with the authorization code; rejects with a SignInError. */
  code: Promise<string>;
  close(): void;
}

export async function listenForRedirect(opts: LoopbackOptions): Promise<LoopbackListener> {
  let settle: { resolve(code: string): void; reject(err: SignInError): void } | null = null;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => {}); // the caller awaits it; avoid an unhandled rejection if it never does

  /** The port it listens on, once listening (the Host header must name it). */
  let port = opts.port;
  const server = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch {
      // Nothing a request carries may end the process (the headless runner would exit).
      if (!res.headersSent) page(res, 400, 'Bad request', 'The request could not be read.');
      else res.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  const finish = (result: { code: string } | SignInError): void => {
    if (!settle) return;
    const s = settle;
    settle = null;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    // Let the answer page flush before the server goes away.
    setImmediate(() => server.close());
    server.closeIdleConnections();
    if (result instanceof SignInError) s.reject(result);
    else s.resolve(result.code);
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!isLoopbackHost(req.headers.host, port)) {
      // A page on another site whose name resolves here (DNS rebinding), or a request through a
      // proxy: this listener only answers the browser coming back to 127.0.0.1 or localhost.
      page(res, 421, 'Wrong address', 'This address is only used to finish signing in to Genesys Chat Tray.');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      page(res, 400, 'Bad request', 'This address is only used to finish signing in to Genesys Chat Tray.');
      return;
    }
    if (!settle) {
      // The sign-in already finished (or was cancelled): a reload or a late second tab.
      page(res, 410, 'This sign-in link has expired', 'Start signing in again from Genesys Chat Tray.');
      return;
    }
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      page(res, 404, 'Not found', 'This address is only used to finish signing in to Genesys Chat Tray.');
      return;
    }
    if (url.searchParams.get('state') !== opts.state) {
      // A stray or forged request: refuse it, but keep waiting for the real redirect.
      page(res, 400, 'Sign-in link not recognised', 'Start signing in again from Genesys Chat Tray.');
      return;
    }
    const error = url.searchParams.get('error');
    if (error) {
      const detail = url.searchParams.get('error_description') ?? error;
      page(res, 400, 'Sign-in did not complete', `Genesys Cloud said: ${detail}. You can close this tab.`);
      finish(new SignInError('denied', `Genesys Cloud refused the sign-in: ${detail}`));
      return;
    }
    const value = url.searchParams.get('code');
    if (!value) {
      page(res, 400, 'Sign-in did not complete', 'The answer from Genesys Cloud had no code. Try again.');
      finish(new SignInError('failed', 'The sign-in redirect carried no authorization code.'));
      return;
    }
    page(res, 200, 'Signed in', 'You are signed in to Genesys Chat Tray. You can close this tab.');
    finish({ code: value });
  }

  const onAbort = (): void => finish(new SignInError('cancelled', 'Sign-in was cancelled.'));
  const timer = setTimeout(
    () => finish(new SignInError('timeout', 'Sign-in timed out: the browser did not come back in time.')),
    opts.timeoutMs,
  );
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'EADDRINUSE'
          ? new SignInError(
              'port-in-use',
              `Port ${opts.port} is already in use on this computer. Choose another sign-in port and ` +
                `register http://127.0.0.1:<port>${CALLBACK_PATH} as a redirect URI of your OAuth client.`,
            )
          : new SignInError('failed', `Could not listen for the sign-in redirect: ${err.message}`),
      );
    });
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort);

  const address = server.address();
  port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () => finish(new SignInError('cancelled', 'Sign-in was cancelled.')),
  };
}

/** `127.0.0.1:<port>` or `localhost:<port>` (also `[::1]`): the only names the browser comes back to. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m) return false;
  return m[2] === undefined ? port === 80 : Number(m[2]) === port;
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string): string =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
  // No Date header: the page is for this computer's browser, and formatting one makes V8 load ICU's
  // time-zone data (about 1 MB the runner would keep resident for the rest of its life).
  res.sendDate = false;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
      '<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style>' +
      `</head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`,
  );
}
