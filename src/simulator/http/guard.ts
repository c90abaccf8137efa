// Who may talk to the simulator. It listens on 127.0.0.1 only, but a web page in the user's
// browser can still reach a loopback port: through a name of its own that resolves to 127.0.0.1
// (DNS rebinding), or with a plain cross-site form or fetch. So every request must name the
// simulator by a loopback host, and the control interface (/_sim) also needs the per-run control
// token and refuses anything a browser marks as coming from another site.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CONTROL_TOKEN_HEADER = 'x-sim-control-token';

/** A fresh control token: 32 random bytes, base64url. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `token` may be a control token (what `--control-token` accepts). */
export function isValidControlToken(token: string): boolean {
  return /^[A-Za-z0-9._~-]{16,200}$/.test(token);
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i;

/** `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` for the port the simulator listens on. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const m = host === undefined ? null : LOOPBACK_HOST.exec(host.trim());
  if (!m) return false;
  return m[1] === undefined ? port === 80 : Number(m[1]) === port;
}

/** Why a control request is refused, or null when it may go on. */
export function controlRefusal(req: IncomingMessage, port: number, token: string): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, port)) return 'Requests from other sites are refused.';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return 'Requests from other sites are refused.';
  }
  const given = req.headers[CONTROL_TOKEN_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, token)) {
    return `The control interface needs this run's control token in the ${CONTROL_TOKEN_HEADER} header.`;
  }
  return null;
}

function isOwnOrigin(origin: string, port: number): boolean {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && isLoopbackHost(u.host, port);
  } catch {
    return false;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
