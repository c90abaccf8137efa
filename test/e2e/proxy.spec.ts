// The built popup behind a company proxy that asks for a sign-in (a real tinyproxy with Basic
// authentication between the app and the simulator): the sign-in meets the proxy, the popup asks
// for its user name and password, says when they are wrong, and everything works with the right
// ones. The proxy in Settings is validated in words. The proxy password is then looked for
// everywhere but the keyring: the store's files, the logs, the DOM and every event to the page.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { Network } from '../../src/main/net/network.ts';
import { startTinyproxy, type TestProxy } from '../support/tinyproxy.ts';
import { expect, shots, startAccountApp, test, until, type AccountApp, type TestBridge } from './harness.ts';

const PASSWORD = 'Tr0ub4dor-proxy-pw';
let app: AccountApp | null = null;
let proxy: TestProxy | null = null;
let network: Network | null = null;
test.afterEach(async () => {
  await app?.stop();
  await network?.close();
  await proxy?.stop();
  app = proxy = network = null;
});

test('a proxy sign-in in the popup: asked once, wrong then right, kept only in the keyring', async ({
  openPopup,
}) => {
  test.setTimeout(60_000);
  proxy = await startTinyproxy({ basicAuth: { user: 'alex.rivera', password: PASSWORD } });
  const keyring = createMemorySecretStore();
  const logs: string[] = [];
  network = new Network({
    explicit: proxy.address,
    proxyLoopback: true,
    secrets: keyring,
    log: (m) => logs.push(m),
  });
  app = await startAccountApp(51, { network });
  const a = app;
  const { page, bridge: realBridge, problems } = await openPopup(a.deps);
  const events: unknown[] = [];
  const bridge: TestBridge = {
    calls: realBridge.calls,
    emit: (event, payload) => {
      events.push({ event, payload });
      return realBridge.emit(event, payload);
    },
  };
  a.connect(bridge);

  const signIn = async (): Promise<void> => {
    await page.getByTestId('region').selectOption('__custom__');
    await page.getByLabel('Environment URL').fill(a.signIn.environment);
    await page.getByLabel('OAuth client id').fill(a.signIn.clientId);
    await page.getByLabel('Loopback port').fill(String(a.signIn.loopbackPort));
    await page.getByRole('button', { name: 'Sign in with Genesys Cloud' }).click();
  };

  // The token exchange meets the proxy: the popup asks for its sign-in, naming it.
  await signIn();
  const form = page.getByTestId('proxy-sign-in');
  await expect(form).toBeVisible({ timeout: 15_000 });
  await expect(form).toContainText(
    `The proxy at ${proxy.address} asks for your user name and password (Tinyproxy).`,
  );
  await shots(page, 'popup-proxy-sign-in');

  // Wrong credentials: signing in again says so.
  await page.getByTestId('proxy-username').fill('alex.rivera');
  await page.getByTestId('proxy-password').fill('not-it');
  await page.getByRole('button', { name: 'Sign in to the proxy' }).click();
  await expect(form).toBeHidden();
  await signIn();
  await expect(form).toContainText('did not accept that user name and password');
  await shots(page, 'popup-proxy-sign-in-refused');

  // The right ones: the sign-in goes through the proxy and the inbox comes.
  await page.getByTestId('proxy-username').fill('alex.rivera');
  await page.getByTestId('proxy-password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in to the proxy' }).click();
  await expect(form).toBeHidden();
  await signIn();
  await expect(page.getByTestId('tab-inbox')).toBeVisible({ timeout: 15_000 });
  await until(() => a.controller.state().lastSyncAt, 'the first sync');
  expect(proxy.connects().length).toBeGreaterThanOrEqual(2);

  // The proxy in Settings: validated in words.
  await page.getByTestId('open-settings').click();
  await page.getByTestId('pref-proxy').fill('http://proxy.corp');
  await page.getByTestId('pref-proxy').press('Tab');
  await expect(page.getByTestId('proxy-error')).toHaveText(
    'Enter the proxy as host:port, like proxy.example.com:8080.',
  );
  await shots(page, 'popup-settings-proxy');
  await page.getByTestId('pref-proxy').fill(proxy.address);
  await page.getByTestId('pref-proxy').press('Tab');
  await expect(page.getByTestId('proxy-error')).toBeHidden();
  await expect.poll(() => a.controller.engine?.prefs().proxy).toBe(proxy.address);

  // The proxy goes away: the banner says which one cannot be reached, not just "offline".
  await page.getByTestId('back').click();
  await proxy.stop();
  a.sim().control.dropSockets();
  await expect(page.getByTestId('banner')).toContainText(
    `The proxy at ${proxy.address} cannot be reached (ECONNREFUSED). Messages you send are kept`,
    { timeout: 15_000 },
  );
  await shots(page, 'popup-offline-proxy');

  // The password is in the keyring, and nowhere else the app wrote or showed.
  expect(await keyring.get(`proxy:${proxy.address}`)).toContain(PASSWORD);
  await a.controller.stop();
  const sources: Record<string, string> = {
    'events to the page': JSON.stringify(events),
    'answers to the page': JSON.stringify(realBridge.calls.map((c) => c.result)),
    'app log': a.logs.join('\n'),
    'network log': logs.join('\n'),
    'renderer DOM': await page.content(),
  };
  for (const entry of await readdir(a.storeDir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      sources[`store file ${entry.name}`] = await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  const leaks = Object.entries(sources)
    .filter(
      ([, text]) =>
        text.includes(PASSWORD) || text.includes(Buffer.from(`alex.rivera:${PASSWORD}`).toString('base64')),
    )
    .map(([where]) => where);
  expect(leaks).toEqual([]);
  expect(problems).toEqual([]);
});
