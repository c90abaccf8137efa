// Bad input gets a Genesys-style 4xx (never a 500); rate limits, faults, clock offset, request log.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import { call, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let token: string;
let room: string;

beforeAll(async () => {
  sim = await startTestSimulator({ rateLimitPerMinute: 100_000 });
  token = sim.control.actAs(sim.demoUser.id).accessToken;
  room = sim.control.chats().find((c) => c.name === 'Engineering')?.jid ?? '';
});
afterAll(() => sim.close());

function expectGenesysError(res: { status: number; json: unknown }, status: number): void {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({
    status,
    code: expect.any(String),
    message: expect.any(String),
    contextId: expect.any(String),
  });
}

async function stillServing(): Promise<void> {
  const res = await call(sim, 'GET', '/api/v2/users/me', { token });
  expect(res.status).toBe(200);
}

/** Raw request with full control over headers and body chunks. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  chunks: (string | Buffer)[],
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sim.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('bad input', () => {
  it('answers missing fields and wrong types with 400', async () => {
    const path = `/api/v2/chats/rooms/${room}/messages`;
    const bodies = [
      {},
      { message: 5 },
      { message: '' },
      { message: '   ' },
      { message: 'x', mentions: 'u1' },
      { message: 'x', threadId: 7 },
      [],
      null,
      42,
      'text',
    ];
    for (const body of bodies) {
      const json = JSON.stringify(body);
      expectGenesysError(
        await call(sim, 'POST', path, { token, body: json, headers: { 'Content-Type': 'application/json' } }),
        400,
      );
    }
    expectGenesysError(
      await call(sim, 'POST', path, { token, body: { message: 'x', mentions: ['ghost'] } }),
      400,
    );
    expectGenesysError(
      await call(sim, 'PATCH', `/api/v2/chats/settings`, { token, body: { reactionsEnabled: 1 } }),
      400,
    );
    expectGenesysError(
      await call(sim, 'PUT', `/api/v2/chats/messages/x/reactions`, { token, body: { reactions: [1] } }),
      400,
    );
    expectGenesysError(
      await call(sim, 'POST', '/api/v2/chats/rooms', { token, body: { subject: ['a'] } }),
      400,
    );
    await stillServing();
  });

  it('answers unknown ids with 404', async () => {
    expectGenesysError(await call(sim, 'GET', '/api/v2/chats/messages/nope', { token }), 404);
    expectGenesysError(await call(sim, 'GET', '/api/v2/chats/rooms/nope/messages', { token }), 404);
    expectGenesysError(
      await call(sim, 'PATCH', `/api/v2/chats/rooms/${room}/messages/nope`, {
        token,
        body: { message: 'x' },
      }),
      404,
    );
    expectGenesysError(
      await call(sim, 'DELETE', `/api/v2/chats/rooms/${room}/messages/nope`, { token }),
      404,
    );
    expectGenesysError(await call(sim, 'GET', '/api/v2/users/nope', { token }), 404);
    expectGenesysError(
      await call(sim, 'POST', '/api/v2/notifications/channels/nope/subscriptions', { token, body: [] }),
      404,
    );
    expectGenesysError(await call(sim, 'GET', '/api/v2/no/such/thing', { token }), 404);
    expectGenesysError(await call(sim, 'GET', '/elsewhere', { token }), 404);
    await stillServing();
  });

  it('answers bad JSON with 400 and the wrong content type with 415', async () => {
    const path = `/api/v2/chats/rooms/${room}/messages`;
    for (const text of ['{', '{"message":', 'nul', '\u0000\u0001', '[1,2', '{"message":"x"}}']) {
      expectGenesysError(
        await call(sim, 'POST', path, { token, body: text, headers: { 'Content-Type': 'application/json' } }),
        400,
      );
    }
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expectGenesysError(
      await call(sim, 'POST', path, { token, body: deep, headers: { 'Content-Type': 'application/json' } }),
      400,
    );
    expectGenesysError(
      await call(sim, 'POST', path, {
        token,
        body: 'message=x',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expectGenesysError(
      await call(sim, 'POST', path, {
        token,
        body: '{"message":"x"}',
        headers: { 'Content-Type': 'text/plain' },
      }),
      415,
    );
    expectGenesysError(
      await raw('POST', path, { Authorization: `Bearer ${token}` }, ['{"message":"x"}']),
      415,
    );
    expectGenesysError(
      await call(sim, 'POST', path, { token, headers: { 'Content-Type': 'application/json' } }),
      400,
    );
    const ok = await call(sim, 'POST', path, {
      token,
      body: '{"message":"fine"}',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(ok.status).toBe(200);
    await stillServing();
  });

  it('answers bodies over 1 MB with 413, announced or chunked', async () => {
    const path = `/api/v2/chats/rooms/${room}/messages`;
    const big = JSON.stringify({ message: 'x'.repeat(1024 * 1024 + 10) });
    expectGenesysError(await call(sim, 'POST', path, { token, body: big }), 413);
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const chunked = await raw(
      'POST',
      path,
      {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      },
      [chunk, chunk, chunk, chunk, chunk],
    );
    expectGenesysError(chunked, 413);
    const tokenForm = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&pad=${'x'.repeat(1_100_000)}`,
    });
    expect(tokenForm.status).toBe(413);
    await stillServing();
  });

  it('answers wrong methods with 405, malformed paths with 400, and bad HTTP without crashing', async () => {
    const res = await call(sim, 'PUT', '/api/v2/users/me', { token, body: {} });
    expectGenesysError(res, 405);
    expect(res.headers.get('allow')).toContain('GET');
    expectGenesysError(await call(sim, 'GET', '/api/v2/chats/rooms/%E0%A4%A/messages', { token }), 400);
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = net.connect(sim.port, '127.0.0.1', () => socket.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      socket.on('data', () => {});
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await stillServing();
  });

  it('never answers 500 to random requests', async () => {
    const paths = [
      '/api/v2/chats/rooms/{room}/messages',
      '/api/v2/chats/rooms/{room}',
      '/api/v2/chats/rooms/{room}/participants/x',
      '/api/v2/chats/users/{user}/messages',
      '/api/v2/chats/users/{user}',
      '/api/v2/chats/messages/{msg}/reactions',
      '/api/v2/chats/threads/{msg}/messages',
      '/api/v2/chats/rooms/{room}/messages/pins',
      '/api/v2/chats/users/me/settings',
      '/api/v2/chats/settings',
      '/api/v2/notifications/channels',
      '/api/v2/users/chats/me',
      '/api/v2/users',
    ];
    const bodies: unknown[] = [
      undefined,
      {},
      [],
      { message: 'x' },
      { message: null },
      [{ id: 1 }],
      { reactions: [''] },
      { pinnedMessageIds: [null] },
      { subject: 'x', userIds: [{}] },
      'x',
      { mobile: {} },
      { muted: 'no' },
    ];
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
    const user = sim.users[1]?.id ?? '';
    const msg = sim.control.post({ as: sim.demoUser.id, room, body: 'fuzz target' }).id;
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const statuses = new Set<number>();
    for (let i = 0; i < 250; i++) {
      const path = (paths[rnd(paths.length)] ?? '')
        .replace('{room}', rnd(3) ? room : 'x')
        .replace('{user}', rnd(3) ? user : 'x')
        .replace('{msg}', rnd(3) ? msg : 'x');
      const query =
        ['', '?limit=-1', '?before=x', '?after=1', '?excludeClosed=2', '?pageSize=0', '?after=%%'][rnd(7)] ??
        '';
      const res = await call(sim, methods[rnd(methods.length)] ?? 'GET', path + query, {
        token,
        body: bodies[rnd(bodies.length)],
      });
      statuses.add(res.status);
      expect(res.status, `${path}${query}`).toBeLessThan(500);
    }
    expect(statuses.size).toBeGreaterThan(3);
    await stillServing();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit and can be lifted', async () => {
    const limited = sim.control.actAs(sim.demoUser.id).accessToken;
    sim.control.setRateLimit(3);
    for (let i = 0; i < 3; i++)
      expect((await call(sim, 'GET', '/api/v2/users/me', { token: limited })).status).toBe(200);
    const res = await call(sim, 'GET', '/api/v2/users/me', { token: limited });
    expectGenesysError(res, 429);
    expect(res.json.code).toBe('too.many.requests');
    const retry = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // Limits are per token: another token is unaffected.
    const other = sim.control.actAs(sim.demoUser.id).accessToken;
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: other })).status).toBe(200);
    sim.control.setRateLimit(null);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: limited })).status).toBe(200);
    sim.control.setRateLimit(100_000);
  });
});

describe('faults and inspection', () => {
  it('injects a burst of 5xx responses and added latency', async () => {
    sim.control.failNext(2, 502);
    expectGenesysError(await call(sim, 'GET', '/api/v2/users/me', { token }), 502);
    expectGenesysError(await call(sim, 'GET', '/api/v2/users/me', { token }), 502);
    await stillServing();
    sim.control.setLatency(150);
    const started = Date.now();
    await stillServing();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.control.setLatency(0);
    expect(() => sim.control.failNext(1, 404)).toThrow();
  });

  it('logs requests with user ids and counts them; the log can be cleared', async () => {
    sim.control.clearRequests();
    await call(sim, 'GET', '/api/v2/users/me', { token });
    await call(sim, 'GET', `/api/v2/chats/rooms/${room}/messages?limit=2`, { token });
    await call(sim, 'GET', '/api/v2/users/me');
    const { entries, counters } = sim.control.requests();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      method: 'GET',
      path: '/api/v2/users/me',
      status: 200,
      userId: sim.demoUser.id,
    });
    expect(entries[1]?.path).toBe(`/api/v2/chats/rooms/${room}/messages`);
    expect(entries[2]).toMatchObject({ status: 401 });
    expect(entries[2]?.userId).toBeUndefined();
    expect(Number.isNaN(Date.parse(entries[0]?.at ?? ''))).toBe(false);
    expect(counters.total).toBe(3);
    expect(counters.byStatus).toEqual({ '200': 2, '401': 1 });
    expect(counters.byRoute['GET /api/v2/chats/rooms/:roomJid/messages']).toBe(1);
    sim.control.clearRequests();
    expect(sim.control.requests().entries).toEqual([]);
  });

  it('shifts server timestamps with the clock offset', async () => {
    sim.control.setClockOffset(3_600_000);
    const sent = await call(sim, 'POST', `/api/v2/chats/rooms/${room}/messages`, {
      token,
      body: { message: 'from the future' },
    });
    const message = await call(sim, 'GET', `/api/v2/chats/messages/${sent.json.id}`, { token });
    expect(Date.parse(message.json.dateCreated)).toBeGreaterThan(Date.now() + 3_500_000);
    sim.control.setClockOffset(0);
    // Dates stay strictly increasing even when the clock goes back.
    const next = await call(sim, 'POST', `/api/v2/chats/rooms/${room}/messages`, {
      token,
      body: { message: 'back to now' },
    });
    const nextMessage = await call(sim, 'GET', `/api/v2/chats/messages/${next.json.id}`, { token });
    expect(Date.parse(nextMessage.json.dateCreated)).toBeGreaterThan(Date.parse(message.json.dateCreated));
  });
});
