// Where the proxy configuration comes from, per URL: an explicit proxy from Settings, the system's
// (Electron's `session.resolveProxy`: the OS settings and PAC scripts as Chromium sees them), or the
// environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`: the headless runner).
import { getProxyForUrl } from 'proxy-from-env';
import { DIRECT, parseHostPort, parseProxyList, proxyDecisionUrl, type RouteList } from './route.ts';

export type ProxySourceName = 'settings' | 'system' | 'environment' | 'none';

export interface ProxySource {
  readonly name: ProxySourceName;
  routesFor(url: URL): Promise<RouteList>;
}

/** Chromium's answer for a URL, as `session.resolveProxy()` gives it ("PROXY a:1; DIRECT"). */
export type SystemProxyResolver = (url: string) => Promise<string>;

export function systemSource(resolve: SystemProxyResolver): ProxySource {
  return {
    name: 'system',
    async routesFor(url) {
      return parseProxyList(await resolve(proxyDecisionUrl(url).href));
    },
  };
}

/** A proxy typed in Settings (`host:port`): every connection except loopback goes through it. */
export function explicitSource(address: string): ProxySource {
  const hp = parseHostPort(address);
  if (!hp) throw new Error(`"${address.slice(0, 100)}" is not a proxy address (host:port).`);
  const list: RouteList = { routes: [{ kind: 'proxy', scheme: 'http', ...hp }], unsupported: [] };
  return { name: 'settings', routesFor: () => Promise.resolve(list) };
}

export const noProxySource: ProxySource = {
  name: 'none',
  routesFor: () => Promise.resolve({ routes: [DIRECT], unsupported: [] }),
};

/**
 * The proxy environment variables, read at each decision (proxy-from-env: lower case wins, NO_PROXY
 * with suffixes, `*` and ports) from `process.env`. A proxy given without a scheme is an HTTP proxy,
 * as curl reads it.
 */
export function environmentSource(): ProxySource {
  return {
    name: 'environment',
    routesFor(url) {
      const target = proxyDecisionUrl(url);
      const value = getProxyForUrl(target.href);
      if (!value) return Promise.resolve({ routes: [DIRECT], unsupported: [] });
      const raw = rawVariable(target.protocol.replace(':', ''));
      const text = raw && !raw.includes('://') ? `http://${raw}` : value;
      return Promise.resolve(fromProxyUrl(text));
    },
  };
}

function fromProxyUrl(text: string): RouteList {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { routes: [], unsupported: [redactUrl(text)] };
  }
  const scheme = u.protocol === 'http:' ? 'http' : u.protocol === 'https:' ? 'https' : null;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  if (!scheme || !u.hostname) return { routes: [], unsupported: [`${u.protocol}//${u.host}`] };
  const inline =
    u.username !== ''
      ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
      : undefined;
  return {
    routes: [{ kind: 'proxy', scheme, host: u.hostname.toLowerCase(), port, ...(inline ? { inline } : {}) }],
    unsupported: [],
  };
}

function rawVariable(proto: string): string {
  for (const key of [`${proto}_proxy`, 'all_proxy']) {
    const v = process.env[key] || process.env[key.toUpperCase()];
    if (v) return v;
  }
  return '';
}

function redactUrl(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//…@').slice(0, 100);
}
