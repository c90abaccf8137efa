// Walking skeleton, end to end in Chromium: the BUILT popup (out/renderer) makes one typed IPC
// round trip through the real dispatcher and handlers and shows what came back.
import { BRIDGE_KEY, type RendererBridge } from '../../src/shared/ipc/contract.ts';
import { demoAppInfo, expect, shot, test } from './harness.ts';

type Bridge = RendererBridge & Record<string, unknown>;

test('the built popup shows the app name and the Demo badge from one IPC round trip', async ({
  openPopup,
}) => {
  const info = demoAppInfo({ version: '9.8.7-e2e', environment: 'http://127.0.0.1:4999/e2e-demo-org' });
  const { page, bridge, problems } = await openPopup({ appInfo: () => info });

  await expect(page.getByTestId('app-name')).toHaveText('Genesys Chat Tray');
  await expect(page.getByTestId('app-mode')).toHaveText('Demo');
  // This only appears when the answer arrived over the bridge.
  await expect(page.getByText('v9.8.7-e2e')).toBeVisible();
  // The sign-in footer names where the form signs in, not the demo org's own address.
  await expect(page.getByTestId('region')).toHaveValue('mypurecloud.com');
  await expect(page.getByTestId('signin-target')).toHaveText('Signs in at login.mypurecloud.com');

  // The popup loads the app info and the engine state first (then what its view needs).
  expect(
    bridge.calls
      .map((c) => c.channel)
      .slice(0, 2)
      .sort(),
  ).toEqual(['app:get-info', 'state:get']);
  expect(bridge.calls.find((c) => c.channel === 'app:get-info')?.result).toEqual({ ok: true, value: info });
  expect(problems, 'no console errors, CSP violations or failed requests').toEqual([]);
  await shot(page, 'skeleton-demo');
});

test('in account mode the popup shows no Demo badge', async ({ openPopup }) => {
  const { page } = await openPopup({
    appInfo: () => demoAppInfo({ mode: 'account', environment: 'mypurecloud.ie' }),
  });
  // The form and its footer agree on the account's region, and follow a change of it.
  await expect(page.getByTestId('region')).toHaveValue('mypurecloud.ie');
  await expect(page.getByTestId('signin-target')).toHaveText('Signs in at login.mypurecloud.ie');
  await page.getByTestId('region').selectOption('mypurecloud.de');
  await expect(page.getByTestId('signin-target')).toHaveText('Signs in at login.mypurecloud.de');
  await page.getByTestId('region').selectOption('mypurecloud.ie');
  await expect(page.getByTestId('app-name')).toHaveText('Genesys Chat Tray');
  await expect(page.getByTestId('app-mode')).toHaveCount(0);
  await shot(page, 'skeleton-account');
});

test('a handler that fails reaches the page as an error result, shown to the user', async ({ openPopup }) => {
  const { page, bridge } = await openPopup({
    appInfo: () => {
      throw new Error('The demo org could not start.');
    },
  });
  await expect(page.getByRole('alert')).toHaveText('The demo org could not start.');
  expect(bridge.calls.find((c) => c.channel === 'app:get-info')?.result).toMatchObject({
    ok: false,
    error: { code: 'failed' },
  });
});

test('a malformed request through the bridge is refused with bad-request', async ({ openPopup }) => {
  const { page } = await openPopup({ appInfo: () => demoAppInfo() });
  const result = await page.evaluate(
    ([key]) => {
      const gct = (globalThis as unknown as Record<string, Bridge>)[key];
      return gct!.invoke('app:get-info', { unexpected: true } as never);
    },
    [BRIDGE_KEY] as const,
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
});

test('an unknown channel through the bridge is refused with unknown-channel', async ({ openPopup }) => {
  const { page, bridge } = await openPopup({ appInfo: () => demoAppInfo() });
  const result = await page.evaluate(
    ([key]) => {
      const gct = (globalThis as unknown as Record<string, Bridge>)[key];
      return gct!.invoke('app:delete-everything' as never);
    },
    [BRIDGE_KEY] as const,
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  // The popup makes its own calls at the same time: find this one among them.
  expect(bridge.calls.filter((c) => c.channel === 'app:delete-everything')).toHaveLength(1);
});

test('the test bridge has exactly the RendererBridge shape and delivers events to `on`', async ({
  openPopup,
}) => {
  const { page, bridge } = await openPopup({ appInfo: () => demoAppInfo() });
  await expect(page.getByTestId('app-mode')).toHaveText('Demo');

  const shape = await page.evaluate(
    ([key]) => {
      const gct = (globalThis as unknown as Record<string, Bridge>)[key]!;
      let unknownEvent = '';
      try {
        gct.on('app:no-such-event' as never, () => {});
      } catch (err) {
        unknownEvent = (err as Error).message;
      }
      const received: unknown[] = [];
      const off = gct.on('app:info-changed', (payload) => received.push(payload));
      (globalThis as unknown as Record<string, unknown>)['__received'] = received;
      (globalThis as unknown as Record<string, unknown>)['__off'] = off;
      return { keys: Object.keys(gct).sort(), frozen: Object.isFrozen(gct), unknownEvent };
    },
    [BRIDGE_KEY] as const,
  );
  expect(shape).toEqual({ keys: ['invoke', 'on'], frozen: true, unknownEvent: 'Unknown IPC event.' });

  const next = demoAppInfo({ mode: 'account', environment: 'usw2.pure.cloud' });
  // The popup's own store listens too: two listeners.
  expect(await bridge.emit('app:info-changed', next)).toBe(2);
  expect(await page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['__received'])).toEqual(
    [next],
  );

  await page.evaluate(() => ((globalThis as unknown as Record<string, () => void>)['__off'] ?? (() => {}))());
  expect(await bridge.emit('app:info-changed', next)).toBe(1);
});

test("the page's own CSP meta tag is in force over HTTP", async ({ openPopup }) => {
  const { page, problems } = await openPopup({ appInfo: () => demoAppInfo() });
  await expect(page.getByTestId('app-mode')).toHaveText('Demo');

  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");

  // An injected inline script must not run, and the browser must report the violation.
  const outcome = await page.evaluate(`new Promise((resolve) => {
    let violated = '';
    document.addEventListener('securitypolicyviolation', (e) => { violated = e.violatedDirective; });
    const script = document.createElement('script');
    script.textContent = 'window.__gctInlineRan = true;';
    document.body.append(script);
    setTimeout(() => resolve({ ran: window.__gctInlineRan === true, violated }), 200);
  })`);
  expect(outcome).toEqual({ ran: false, violated: expect.stringMatching(/^script-src/) });
  // That violation is the only problem: the app itself loaded cleanly under its CSP.
  expect(problems.filter((p) => !p.includes('__gctInlineRan') && !/inline script/i.test(p))).toEqual([]);
});
