// Redirect URI rules for a native app: loopback addresses on any port (RFC 8252, section 7.3).

/** True for `http://127.0.0.1:<port>/...` and `http://localhost:<port>/...` without a fragment. */
export function isLoopbackRedirect(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return false;
  if (url.username || url.password || url.hash || value.includes('#')) return false;
  return true;
}

/** `base` with extra query parameters appended (keeping its own). */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}
