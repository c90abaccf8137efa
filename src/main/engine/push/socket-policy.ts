// Decides whether a channel's connectUri may be opened: wss (ws only on loopback) to an allowed host.

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Null when `connectUri` may be opened, else why not (for the log). */
export function refuseConnectUri(connectUri: string, allowedHosts: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(connectUri);
  } catch {
    return 'connectUri is not a URL';
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && LOOPBACK.has(host)))
    return `connectUri uses ${url.protocol.slice(0, 20)}`;
  if (url.username || url.password) return 'connectUri carries credentials';
  if (!allowedHosts.some((allowed) => allowed.toLowerCase() === host))
    return `connectUri host ${host.slice(0, 100)} is not allowed`;
  return null;
}
