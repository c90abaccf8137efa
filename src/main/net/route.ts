// Where one connection goes: straight to the host, or through a proxy. Parses the proxy lists that
// Chromium's `session.resolveProxy()` and PAC scripts return ("PROXY a:1; HTTPS b:2; DIRECT"), in
// order, and says in words what the app cannot use (SOCKS, QUIC) instead of dropping it silently.
import { isIP } from 'node:net';
import { parseHostPort } from '../../shared/proxy.ts';

export { parseHostPort };

export interface ProxyRoute {
  kind: 'proxy';
  /** `http`: a plain HTTP proxy (PAC `PROXY`/`HTTP`); `https`: TLS to the proxy itself (PAC `HTTPS`). */
  scheme: 'http' | 'https';
  /** Host name, IPv4 address or bracketed IPv6 address. */
  host: string;
  port: number;
  /** From a proxy URL in the environment (`http://user:pass@proxy:3128`); never shown or logged. */
  inline?: { username: string; password: string };
}

/**
 * `plainLocal`: DIRECT to this computer without TLS (`http:`/`ws:`, the demo org's simulator). No
 * certificate authorities are loaded for it: reading the OS store costs about 5 MB of memory and
 * 40 ms that such a connection never needs. TLS to this computer is a plain DIRECT (it may need them).
 */
export type Route = { kind: 'direct'; plainLocal?: true } | ProxyRoute;

export interface RouteList {
  routes: Route[];
  /** Entries the app cannot use, as written (bounded), for the log and diagnostics. */
  unsupported: string[];
}

export const DIRECT: Route = { kind: 'direct' };
export const PLAIN_LOCAL: Route = { kind: 'direct', plainLocal: true };

/**
 * Parses a Chromium/PAC proxy list. An empty answer means DIRECT. Keywords are case-insensitive:
 * `DIRECT`, `PROXY`/`HTTP` host:port, `HTTPS` host:port; `SOCKS*` and `QUIC` are reported unsupported.
 */
export function parseProxyList(answer: string): RouteList {
  const routes: Route[] = [];
  const unsupported: string[] = [];
  const entries = answer
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return { routes: [DIRECT], unsupported };
  for (const entry of entries.slice(0, 20)) {
    const [keyword = '', address = '', ...rest] = entry.split(/\s+/);
    const kw = keyword.toUpperCase();
    if (kw === 'DIRECT' && !address) {
      if (!routes.some((r) => r.kind === 'direct')) routes.push(DIRECT);
      continue;
    }
    const hp = rest.length === 0 ? parseHostPort(address) : null;
    if ((kw === 'PROXY' || kw === 'HTTP') && hp) routes.push({ kind: 'proxy', scheme: 'http', ...hp });
    else if (kw === 'HTTPS' && hp) routes.push({ kind: 'proxy', scheme: 'https', ...hp });
    else unsupported.push(entry.slice(0, 100));
  }
  return { routes, unsupported };
}

/** `PROXY host:port`, `HTTPS host:port` or `DIRECT`: how routes are shown (never with credentials). */
export function routeLabel(route: Route): string {
  if (route.kind === 'direct') return 'DIRECT';
  return `${route.scheme === 'https' ? 'HTTPS' : 'PROXY'} ${proxyAddress(route)}`;
}

/** The proxy's `host:port`: its identity for credentials, the bad-proxy list and messages. */
export function proxyAddress(route: ProxyRoute): string {
  return `${route.host}:${route.port}`;
}

/** The proxy's URL for undici (no credentials: they travel as a header). */
export function proxyUrl(route: ProxyRoute): string {
  return `${route.scheme}://${route.host}:${route.port}`;
}

/**
 * Loopback names and addresses, as Chromium's implicit bypass rule sees them: `localhost`,
 * `*.localhost`, 127.0.0.0/8 and ::1. The demo org lives there and never goes through a proxy.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** A WebSocket URL's equivalent for proxy decisions (ws → http, wss → https). */
export function proxyDecisionUrl(url: URL): URL {
  const copy = new URL(url.href);
  if (copy.protocol === 'ws:') copy.protocol = 'http:';
  else if (copy.protocol === 'wss:') copy.protocol = 'https:';
  return copy;
}
