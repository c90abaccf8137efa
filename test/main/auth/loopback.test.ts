// The loopback redirect listener over real HTTP: the right redirect signs in, a forged one does
// not, the browser gets a readable page, and timeouts, cancels and busy ports are explained.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CALLBACK_PATH, listenForRedirect, SignInError } from '../../../src/main/auth/loopback.ts';

describe('loopback redirect listener', () => {
  it('resolves with the code when the state matches, and shows a success page', async () => {
    const l = await listenForRedirect({ port: 0, state: 'st4te', timeoutMs: 5000 });
    expect(l.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const res = await fetch(`${l.redirectUri}?code=abc&state=st4te`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You can close this tab');
    await expect(l.code).resolves.toBe('abc');
  });

  it('refuses a redirect with the wrong state and keeps waiting for the real one', async () => {
    const l = await listenForRedirect({ port: 0, state: 'good', timeoutMs: 5000 });
    const forged = await fetch(`${l.redirectUri}?code=evil&state=bad`);
    expect(forged.status).toBe(400);
    const res = await fetch(`${l.redirectUri}?code=real&state=good`);
    expect(res.status).toBe(200);
    await expect(l.code).resolves.toBe('real');
  });

  it('escapes what Genesys sends back in an error', async () => {
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 5000 });
    const res = await fetch(
      `${l.redirectUri}?state=s&error=access_denied&error_description=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    const html = await res.text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
    await expect(l.code).rejects.toMatchObject({ reason: 'denied' });
  });

  it('times out with a reason', async () => {
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 50 });
    await expect(l.code).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 5000, signal: ac.signal });
    ac.abort();
    await expect(l.code).rejects.toBeInstanceOf(SignInError);
    await expect(l.code).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('explains a port that is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await expect(listenForRedirect({ port, state: 's', timeoutMs: 1000 })).rejects.toMatchObject({
        reason: 'port-in-use',
        message: expect.stringContaining(CALLBACK_PATH),
      });
    } finally {
      blocker.close();
    }
  });
});
