// The REST door over real HTTP against a scripted local server: auth header, retries for 429 and
// 5xx, no blind re-send of a POST, one refresh on 401, and validation of what comes back.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { GenesysHttp, retryAfterMs, type TokenSource } from '../../../src/main/genesys/http.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: Handler): Promise<{ base: string; seen: { auth: string; method: string }[] }> {
  const seen: { auth: string; method: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ auth: req.headers.authorization ?? '', method: req.method ?? '' });
    handler(req, res, seen.length);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function tokens(initial = 't1'): TokenSource & { refreshed: number } {
  let current = initial;
  const src = {
    refreshed: 0,
    accessToken: async () => current,
    unauthorized: async (t: string) => {
      if (t === current) {
        current = `${current}-r`;
        src.refreshed++;
      }
    },
  };
  return src;
}

function client(base: string, t: TokenSource = tokens()): GenesysHttp {
  return new GenesysHttp({
    apiBase: base,
    tokens: t,
    budget: new RequestBudget({ perMinute: 100, userReserve: 10 }),
    sleep: async () => {},
  });
}

const Me = z.object({ id: z.string() });

describe('Genesys HTTP client', () => {
  it('sends the bearer token and returns the validated body', async () => {
    const { base, seen } = await serve((_q, res) => json(res, 200, { id: 'u1', extra: 1 }));
    await expect(
      client(base).request({ method: 'GET', path: '/api/v2/users/me', schema: Me }),
    ).resolves.toEqual({ id: 'u1' });
    expect(seen[0]?.auth).toBe('Bearer t1');
  });

  it('waits out a 429 and retries, even a POST', async () => {
    const { base, seen } = await serve((_q, res, n) =>
      n === 1
        ? json(res, 429, { message: 'slow down', status: 429 }, { 'Retry-After': '0.1' })
        : json(res, 200, { id: 'm1' }),
    );
    const start = Date.now();
    const r = await client(base).request({
      method: 'POST',
      path: '/x',
      body: { a: 1 },
      schema: Me,
      priority: 'user',
    });
    expect(r).toEqual({ id: 'm1' });
    expect(seen).toHaveLength(2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
  });

  it('retries a GET through 5xx answers but never re-sends a POST that may have landed', async () => {
    const a = await serve((_q, res, n) =>
      n < 3 ? json(res, 503, { message: 'busy' }) : json(res, 200, { id: 'ok' }),
    );
    await expect(client(a.base).request({ method: 'GET', path: '/y', schema: Me })).resolves.toEqual({
      id: 'ok',
    });
    expect(a.seen).toHaveLength(3);

    const b = await serve((_q, res) => json(res, 502, { message: 'bad gateway', code: 'gw' }));
    await expect(
      client(b.base).request({ method: 'POST', path: '/z', body: {}, schema: Me }),
    ).rejects.toMatchObject({
      kind: 'http',
      status: 502,
      retryable: true,
    });
    expect(b.seen).toHaveLength(1);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const t = tokens();
    const { base, seen } = await serve((req, res) =>
      req.headers.authorization === 'Bearer t1'
        ? json(res, 401, { message: 'expired' })
        : json(res, 200, { id: 'u' }),
    );
    await expect(client(base, t).request({ method: 'GET', path: '/me', schema: Me })).resolves.toEqual({
      id: 'u',
    });
    expect(t.refreshed).toBe(1);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer t1', 'Bearer t1-r']);
  });

  it('turns a refused refresh into needs-sign-in instead of looping', async () => {
    const t: TokenSource = {
      accessToken: async () => 'dead',
      unauthorized: async () => {
        throw new Error('Sign in again.');
      },
    };
    const { base, seen } = await serve((_q, res) => json(res, 401, { message: 'revoked' }));
    await expect(client(base, t).request({ method: 'GET', path: '/me', schema: Me })).rejects.toMatchObject({
      kind: 'needs-sign-in',
    });
    expect(seen).toHaveLength(1);
  });

  it('refuses an answer that does not match its schema, or is not JSON', async () => {
    const a = await serve((_q, res) => json(res, 200, { id: 42 }));
    await expect(client(a.base).request({ method: 'GET', path: '/me', schema: Me })).rejects.toMatchObject({
      kind: 'bad-response',
    });
    const b = await serve((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{not json');
    });
    await expect(client(b.base).request({ method: 'GET', path: '/me', schema: Me })).rejects.toMatchObject({
      kind: 'bad-response',
    });
  });

  it('carries the Genesys error message and code of a 4xx', async () => {
    const { base } = await serve((_q, res) =>
      json(res, 400, { message: 'Max 5 pinned messages', code: 'bad.request', status: 400 }),
    );
    await expect(
      client(base).request({ method: 'POST', path: '/pins', body: {}, schema: undefined }),
    ).rejects.toMatchObject({
      status: 400,
      message: 'Max 5 pinned messages',
      code: 'bad.request',
      retryable: false,
    });
  });

  it('reads Retry-After as seconds or a date, within a cap', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('99999', 0)).toBe(120_000);
    expect(retryAfterMs(null, 0)).toBe(5000);
  });
});
