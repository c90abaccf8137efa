// The loopback redirect listener over real HTTP: the right redirect signs in, a forged one does
// not, the browser gets a readable page, and timeouts, cancels and busy ports are explained.
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CALLBACK_PATH, listenForRedirect, SignInError } from '../../../src/main/auth/loopback.ts';

describe('loopback redirect listener', () => {
  it('resolves with the code when the state matches, and shows a success page', async () => {
    const l = await listenForRedirect({ port: 0, state: 'st4te', timeoutMs: 5000 });
    expect(l.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const res = await fetch(`${l.redirectUri}?code=abc&state=st4te`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You can close this tab');
    // No Date header: formatting one loads ICU's time-zone data into the process for good
    // (about 1 MB of the idle runner's memory; docs/performance.md).
    expect(res.headers.get('date')).toBeNull();
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

/** Sends `head` as a raw HTTP request (no client fixes it up) and reads the status line. */
function rawRequest(port: number, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

const portOf = (l: { redirectUri: string }): number => Number(new URL(l.redirectUri).port);

describe('loopback redirect listener, hostile requests', () => {
  it('answers a request line it cannot parse as a URL with 400, and keeps waiting', async () => {
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 5000 });
    const port = portOf(l);
    const bad = await rawRequest(port, `GET http://a:b:c/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(bad.status).toBe(400);
    const res = await fetch(`${l.redirectUri}?code=real&state=s`);
    expect(res.status).toBe(200);
    await expect(l.code).resolves.toBe('real');
  });

  it('answers only requests addressed to this machine by loopback name (no DNS rebinding)', async () => {
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 5000 });
    const port = portOf(l);
    const path = `${CALLBACK_PATH}?code=stolen&state=s`;
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1.evil.example:${port}`,
      `localhost:1`,
    ]) {
      const res = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      expect(res.status, host).toBe(421);
    }
    expect((await rawRequest(port, `GET ${path} HTTP/1.1\r\n\r\n`)).status, 'no Host').toBe(400);
    const res = await rawRequest(
      port,
      `GET ${CALLBACK_PATH}?code=real&state=s HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`,
    );
    expect(res.status).toBe(200);
    await expect(l.code).resolves.toBe('real');
  });

  it('answers "expired" to a request that arrives after the sign-in finished', async () => {
    const l = await listenForRedirect({ port: 0, state: 's', timeoutMs: 5000 });
    const port = portOf(l);
    // A second tab already connected and sending when the first one brings the code.
    const late = connect(port, '127.0.0.1');
    await new Promise((r) => late.once('connect', r));
    late.write(`GET ${CALLBACK_PATH}?code=second&state=s HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    const first = await fetch(`${l.redirectUri}?code=first&state=s`);
    expect(first.status).toBe(200);
    await expect(l.code).resolves.toBe('first');
    let text = '';
    late.setEncoding('utf8');
    late.on('data', (d: string) => (text += d));
    const closed = new Promise((r) => late.once('close', r));
    late.write('\r\n');
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 410/);
    expect(text).toContain('expired');
  });
});
