// "Opens the browser" for the demo org: the simulator approves the sign-in without a form, so the
// app follows its redirect itself and the loopback listener receives the code, exactly as after a
// real browser sign-in. Refuses any authorize URL that is not on this computer (http, or https for
// a simulator served over TLS).
export async function followAuthorizeRedirect(
  authorizeUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const url = new URL(authorizeUrl);
  if (!isLoopback(url)) throw new Error('Automatic sign-in is only for the demo org on this computer.');
  const res = await fetchImpl(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  await res.body?.cancel().catch(() => {});
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) {
    throw new Error(`The demo org did not approve the sign-in (HTTP ${res.status}).`);
  }
  const back = new URL(location, url);
  if (!isLoopback(back)) throw new Error('The demo org redirected off this computer; refusing to follow.');
  const done = await fetchImpl(back, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  await done.body?.cancel().catch(() => {});
}

function isLoopback(url: URL): boolean {
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  );
}
