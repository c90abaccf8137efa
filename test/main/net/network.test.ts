// The network port against a real proxy (tinyproxy on loopback) and a real origin (HTTP and a
// WebSocket): tunnels for fetch and the socket, proxy sign-in with wrong then right credentials
// (kept in the secret store), PAC lists with a proxy that is down, a proxy that refuses the port,
// the loopback rule, and every failure in words.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createMemorySecretStore } from '../../../src/main/auth/secret-store.ts';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { GenesysError, GenesysHttp } from '../../../src/main/genesys/http.ts';
import { NetworkFailure } from '../../../src/main/net/failure.ts';
import { Network, type NetworkOptions } from '../../../src/main/net/network.ts';
import type { Trust } from '../../../src/main/net/trust.ts';
import { freePort, startTinyproxy, type TestProxy } from '../../support/tinyproxy.ts';

let origin: Server;
let originUrl: string;
const proxies: TestProxy[] = [];
const networks: Network[] = [];

beforeAll(async () => {
  origin = createServer((req, res) => res.end(`hello ${req.url}`));
  const wss = new WebSocketServer({ server: origin });
  wss.on('connection', (s) => s.send('welcome'));
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterAll(async () => {
  origin.closeAllConnections();
  await new Promise((r) => origin.close(r));
});
afterEach(async () => {
  await Promise.all(networks.splice(0).map((n) => n.close()));
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
});

async function proxy(opts: Parameters<typeof startTinyproxy>[0] = {}): Promise<TestProxy> {
  const p = await startTinyproxy(opts);
  proxies.push(p);
  return p;
}

function network(opts: NetworkOptions): Network {
  const n = new Network({ proxyLoopback: true, ...opts });
  networks.push(n);
  return n;
}

async function text(n: Network, path = '/x'): Promise<string> {
  const res = await n.fetch(`${originUrl}${path}`);
  return res.text();
}

function socketGreeting(n: Network): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new n.WebSocket(`${originUrl.replace('http', 'ws')}/socket`);
    ws.onmessage = (ev) => {
      resolve(String(ev.data));
      ws.close();
    };
    ws.onclose = (ev) => reject(new Error(`closed before a message: ${ev.reason ?? ev.code}`));
  });
}

async function failureOf(work: Promise<unknown>): Promise<NetworkFailure> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NetworkFailure);
  return err as NetworkFailure;
}

const originPort = (): string => originUrl.replace('http://', '');

describe('through a real proxy', () => {
  it('tunnels fetch and the WebSocket through the proxy from Settings', async () => {
    const p = await proxy();
    const n = network({ explicit: p.address });
    expect(await text(n)).toBe('hello /x');
    expect(await socketGreeting(n)).toBe('welcome');
    expect(p.connects().filter((c) => c === originPort()).length).toBeGreaterThanOrEqual(2);
  });

  it('never sends loopback through a proxy unless told to (the demo org)', async () => {
    const dead = await freePort();
    const n = new Network({ explicit: `127.0.0.1:${dead}` });
    networks.push(n);
    expect(await text(n)).toBe('hello /x');
    expect(await socketGreeting(n)).toBe('welcome');
    const report = await n.report([originUrl]);
    expect(report.hosts[0]).toMatchObject({ source: 'loopback', routes: ['DIRECT'] });
  });

  it('reads the certificate store only for TLS, never for the plain-text demo org on this computer', async () => {
    let reads = 0;
    const trust: Trust = {
      secureContext: undefined,
      report: { defaults: 0, system: 0, applied: 'process-default' },
    };
    const n = new Network({
      get trust() {
        reads++;
        return trust;
      },
    });
    networks.push(n);
    expect(await text(n)).toBe('hello /x');
    expect(await socketGreeting(n)).toBe('welcome');
    expect(reads).toBe(0);
    // TLS to this computer may need the OS store (a company CA on a local test server): read then.
    await failureOf(n.fetch(`https://127.0.0.1:${await freePort()}/`));
    expect(reads).toBe(1);
  });

  it('asks for a proxy sign-in once, refuses wrong credentials, and works with the right ones (kept in the keyring)', async () => {
    const p = await proxy({ basicAuth: { user: 'alex', password: 'c0rrect-h0rse' } });
    const secrets = createMemorySecretStore();
    const n = network({ explicit: p.address, secrets });
    let changes = 0;
    n.onChange(() => changes++);

    const first = await failureOf(text(n));
    expect(first.kind).toBe('proxy-auth');
    expect(first.message).toBe(
      `The proxy refused the connection (407): the proxy at ${p.address} asks for a user name and password.`,
    );
    expect(n.proxySignIn).toEqual({ proxy: p.address, realm: 'Tinyproxy', rejected: false });
    // The socket meets the same proxy and the same request; still one question.
    await expect(socketGreeting(n)).rejects.toThrow(/asks for a user name and password/);
    expect(changes).toBe(1);

    await n.setProxyCredentials(p.address, { username: 'alex', password: 'wrong' });
    expect(n.proxySignIn).toBeNull();
    const wrong = await failureOf(text(n));
    expect(wrong.message).toMatch(/did not accept the user name and password/);
    expect(n.proxySignIn).toMatchObject({ proxy: p.address, rejected: true });
    // Refused credentials are not sent again (no account lock-out): the next try goes without them.
    const after = await failureOf(text(n));
    expect(after.message).toMatch(/asks for a user name and password/);

    await n.setProxyCredentials(p.address, { username: 'alex', password: 'c0rrect-h0rse' });
    expect(await text(n)).toBe('hello /x');
    expect(await socketGreeting(n)).toBe('welcome');
    expect(n.proxySignIn).toBeNull();
    expect(JSON.parse((await secrets.get(`proxy:${p.address}`))!)).toEqual({
      username: 'alex',
      password: 'c0rrect-h0rse',
    });

    // A new start finds them in the keyring and asks nothing.
    const again = network({ explicit: p.address, secrets });
    expect(await text(again)).toBe('hello /x');
    expect(again.proxySignIn).toBeNull();
  });

  it('takes a proxy sign-in from the proxy URL of the environment', async () => {
    const p = await proxy({ basicAuth: { user: 'alex', password: 'pw' } });
    const saved = { ...process.env };
    process.env['HTTP_PROXY'] = `http://alex:pw@${p.address}`;
    delete process.env['http_proxy'];
    delete process.env['NO_PROXY'];
    delete process.env['no_proxy'];
    try {
      const n = network({ environment: true });
      expect(await text(n)).toBe('hello /x');
      const report = await n.report([originUrl]);
      expect(report.hosts[0]).toMatchObject({ source: 'environment', routes: [`PROXY ${p.address}`] });
      expect(JSON.stringify(report)).not.toContain('pw');
    } finally {
      process.env = saved;
    }
  });

  it('honours NO_PROXY from the environment', async () => {
    const dead = await freePort();
    const saved = { ...process.env };
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${dead}`;
    process.env['NO_PROXY'] = '127.0.0.1';
    delete process.env['http_proxy'];
    delete process.env['no_proxy'];
    try {
      const n = network({ environment: true });
      expect(await text(n)).toBe('hello /x');
      expect((await n.report([originUrl])).hosts[0]!.routes).toEqual(['DIRECT']);
    } finally {
      process.env = saved;
    }
  });
});

describe('PAC answers', () => {
  it('falls back past a proxy that is down, in order, and tries it last for a while', async () => {
    const dead = await freePort();
    const logs: string[] = [];
    const n = network({ system: async () => `PROXY 127.0.0.1:${dead}; DIRECT`, log: (m) => logs.push(m) });
    expect(await text(n)).toBe('hello /x');
    expect(logs.filter((l) => l.includes(`The proxy at 127.0.0.1:${dead} cannot be reached`))).toHaveLength(
      1,
    );
    expect(await text(n)).toBe('hello /x');
    expect(await socketGreeting(n)).toBe('welcome');
    // Remembered as bad: no second attempt through it.
    expect(logs.filter((l) => l.includes('cannot be reached'))).toHaveLength(1);
    const host = (await n.report([originUrl])).hosts[0]!;
    expect(host).toMatchObject({
      source: 'system',
      routes: ['DIRECT', `PROXY 127.0.0.1:${dead}`],
      unreachable: [`PROXY 127.0.0.1:${dead}`],
      lastRoute: 'DIRECT',
    });
  });

  it('uses the next proxy of the list when the first is down, for the socket too', async () => {
    const dead = await freePort();
    const p = await proxy();
    const n = network({ system: async () => `PROXY 127.0.0.1:${dead}; PROXY ${p.address}; DIRECT` });
    expect(await socketGreeting(n)).toBe('welcome');
    expect(await text(n)).toBe('hello /x');
    expect(p.connects().filter((c) => c === originPort()).length).toBe(2);
  });

  it('says so when every route is down, naming the proxy', async () => {
    const dead = await freePort();
    const n = network({ system: async () => `PROXY 127.0.0.1:${dead}` });
    const f = await failureOf(text(n));
    expect(f.kind).toBe('proxy-unreachable');
    expect(f.message).toBe(`The proxy at 127.0.0.1:${dead} cannot be reached (ECONNREFUSED).`);
    await expect(socketGreeting(n)).rejects.toThrow(`The proxy at 127.0.0.1:${dead} cannot be reached`);
  });

  it('says in words that only proxies it cannot use were offered', async () => {
    const n = network({ system: async () => 'SOCKS5 127.0.0.1:1080' });
    const f = await failureOf(text(n));
    expect(f.message).toMatch(/name only proxies the app cannot use \(SOCKS5 127\.0\.0\.1:1080\)/);
  });
});

describe('a proxy that refuses', () => {
  it("refuses the simulator's port: a clear error and one attempt, no loop", async () => {
    const p = await proxy({ connectPorts: [443] });
    const n = network({ explicit: p.address });
    const f = await failureOf(text(n));
    expect(f.kind).toBe('proxy-refused');
    expect(f.transient).toBe(false);
    expect(f.message).toBe(`The proxy at ${p.address} refused the connection to ${originPort()} (403).`);
    expect(p.connects()).toEqual([originPort()]);
  });

  it('is not retried by the REST client (the engine tries again later, slowly)', async () => {
    const p = await proxy({ connectPorts: [443] });
    const n = network({ explicit: p.address });
    const http = new GenesysHttp({
      apiBase: originUrl,
      tokens: { accessToken: async () => 'token', unauthorized: async () => {} },
      budget: new RequestBudget({ perMinute: 100, userReserve: 10 }),
      fetch: n.fetch,
      backoffMs: { base: 1, cap: 2 },
    });
    const err = await http
      .request({ method: 'GET', path: '/api/v2/users/me', schema: undefined })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GenesysError);
    expect(err).toMatchObject({
      kind: 'network',
      retryable: true,
      message: `The proxy at ${p.address} refused the connection to ${originPort()} (403).`,
    });
    expect(p.connects()).toHaveLength(1);
  });

  it('names a proxy sign-in it cannot do (NTLM, Negotiate) instead of asking for a password', async () => {
    // tinyproxy only speaks Basic: a stand-in proxy that answers every CONNECT with Windows sign-in.
    const sockets = new Set<Socket>();
    const ntlm = createServer();
    ntlm.on('connect', (_req, socket: Socket) => {
      sockets.add(socket);
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\n' +
          'Proxy-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n',
      );
    });
    await new Promise<void>((r) => ntlm.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(ntlm.address() as AddressInfo).port}`;
    try {
      const n = network({ explicit: address });
      const f = await failureOf(text(n));
      expect(f.kind).toBe('proxy-auth-unsupported');
      expect(f.message).toContain('The proxy refused the connection (407)');
      expect(f.message).toContain(
        'asks for Windows (Negotiate/Kerberos) or NTLM sign-in, which the app cannot do',
      );
      expect(n.proxySignIn).toBeNull();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => ntlm.close(r));
    }
  });
});
