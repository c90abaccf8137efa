// The app behind a company proxy, through its IPC contract (fake shell, real simulator, real
// tinyproxy with Basic authentication): the popup learns that the proxy asks for a sign-in, the
// form's answer is validated, kept in the keyring and used at once; the proxy from Settings is
// validated and applied without a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main/app.ts';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { AuthSession } from '../../src/main/auth/session.ts';
import { resolveEnvironment } from '../../src/main/genesys/environment.ts';
import type { AppStore } from '../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { connection, freshStore, until } from '../support/app-harness.ts';
import { FakeShell } from '../support/fake-shell.ts';
import { startTinyproxy, type TestProxy } from '../support/tinyproxy.ts';

let app: RunningApp | null = null;
let sim: Simulator | null = null;
let proxy: TestProxy | null = null;
let store: AppStore | null = null;
afterEach(async () => {
  await app?.stop();
  store?.close();
  await proxy?.stop();
  await sim?.close();
  app = sim = proxy = store = null;
});

type Result = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
type StateView = { connection: string; notice?: string; proxySignIn?: { proxy: string; rejected: boolean } };
const lastState = (shell: FakeShell): StateView | undefined =>
  shell.popup.sent.filter((s) => s.channel === 'state:changed').at(-1)?.payload as StateView | undefined;

describe('the app behind a proxy', () => {
  it('shows the proxy sign-in to the popup, keeps the answer in the keyring and connects with it', async () => {
    sim = await startSimulator({ seed: 43, quiet: true });
    proxy = await startTinyproxy({ basicAuth: { user: 'agent', password: 'right-pw' } });
    const keyring = createMemorySecretStore();
    // Signed in earlier (tokens in the keyring); today the network needs the proxy.
    const env = resolveEnvironment(sim.url);
    const earlier = new AuthSession({
      env,
      clientId: 'gct-app-proxy',
      secrets: keyring,
      loopbackPort: 0,
      loginHint: sim.demoUser.email,
      openBrowser: (url) => followAuthorizeRedirect(url),
    });
    await earlier.signIn();
    store = freshStore();
    store.update('prefs', (p) => ({
      ...p,
      environment: env.id,
      clientId: 'gct-app-proxy',
      proxy: proxy!.address,
    }));

    const shell = new FakeShell();
    app = await startApp({
      shell,
      store,
      preloadPath: '/p.cjs',
      keyring: () => keyring,
      proxyLoopback: true,
      startDemoOrg: () => Promise.reject(new Error('not the demo org')),
    });
    await app.ready;
    await until(() => lastState(shell)?.proxySignIn !== undefined, 'the proxy sign-in request', 10_000);
    expect(lastState(shell)).toMatchObject({
      connection: 'offline',
      proxySignIn: { proxy: proxy.address, rejected: false },
    });
    expect(lastState(shell)?.notice).toContain('The proxy refused the connection (407)');

    // The form's answer is checked: the proxy that asked, a user name without a colon.
    const elsewhere = (await shell.invoke('proxy:sign-in', {
      proxy: 'evil.example.com:8080',
      username: 'agent',
      password: 'right-pw',
    })) as Result;
    expect(elsewhere).toMatchObject({ ok: false, error: { message: 'No proxy is waiting for a sign-in.' } });
    const colon = (await shell.invoke('proxy:sign-in', {
      proxy: proxy.address,
      username: 'a:b',
      password: 'x',
    })) as Result;
    expect(colon).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await keyring.get(`proxy:${proxy.address}`)).toBeNull();

    const wrong = (await shell.invoke('proxy:sign-in', {
      proxy: proxy.address,
      username: 'agent',
      password: 'wrong-pw',
    })) as Result;
    expect(wrong.ok).toBe(true);
    await until(() => lastState(shell)?.proxySignIn?.rejected === true, 'the refusal', 10_000);

    const right = (await shell.invoke('proxy:sign-in', {
      proxy: proxy.address,
      username: 'agent',
      password: 'right-pw',
    })) as Result;
    expect(right.ok).toBe(true);
    await until(() => connection(shell) === 'push', 'push through the proxy', 15_000);
    expect(lastState(shell)?.proxySignIn).toBeUndefined();
    expect(JSON.parse((await keyring.get(`proxy:${proxy.address}`))!)).toEqual({
      username: 'agent',
      password: 'right-pw',
    });
    // Diagnostics see the proxy in effect for each host, never the sign-in.
    const report = await app.controller.networkReport();
    expect(report?.hosts[0]).toMatchObject({
      host: `127.0.0.1:${sim.port}`,
      source: 'settings',
      routes: [`PROXY ${proxy.address}`],
      lastRoute: `PROXY ${proxy.address}`,
    });
    expect(JSON.stringify(report)).not.toContain('right-pw');
    // The password never left the main process.
    expect(JSON.stringify(shell.popup.sent)).not.toContain('right-pw');
    expect(JSON.stringify(store.get('prefs'))).not.toContain('right-pw');
  });

  it('validates the proxy in Settings and applies it without a restart', async () => {
    sim = await startSimulator({ seed: 44, quiet: true });
    proxy = await startTinyproxy();
    const shell = new FakeShell();
    store = freshStore();
    app = await startApp({
      shell,
      store,
      preloadPath: '/p.cjs',
      keyring: () => createMemorySecretStore(),
      proxyLoopback: true,
      startDemoOrg: async () => ({
        url: sim!.url,
        demoUserEmail: sim!.demoUser.email,
        close: async () => {},
      }),
    });
    await app.ready;
    await until(() => connection(shell) === 'push', 'push', 10_000);

    const bad = (await shell.invoke('prefs:update', { proxy: 'http://proxy.corp' })) as Result;
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(bad.error?.message).toContain('host:port');

    const before = proxy.connects().length;
    const ok = (await shell.invoke('prefs:update', { proxy: proxy.address })) as Result;
    expect(ok).toMatchObject({ ok: true, value: { proxy: proxy.address } });
    // The catch-up it starts goes through the new proxy.
    await until(() => proxy!.connects().length > before, 'a tunnel through the new proxy', 10_000);
  });
});
