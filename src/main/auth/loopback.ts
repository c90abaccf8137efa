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

  const server = createServer((req, res) => onRequest(req, res));
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
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
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
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () => finish(new SignInError('cancelled', 'Sign-in was cancelled.')),
  };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string): string =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
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
