// The IPC bridge from inside the built popup page, as script in a compromised renderer would use
// it: seeded unknown and look-alike channel names and malformed requests through `window.gct`
// (the test bridge runs the real dispatcher and handlers, see harness.ts). Every call comes back
// as an error value, none throws into the page or reaches a handler, and the bridge itself cannot
// be replaced. The Node fuzz (test/main/security/ipc-fuzz.test.ts) covers the main process side.
import { INVOKE_CHANNELS, isInvokeChannel } from '../../src/shared/ipc/channels.ts';
import { demoAppInfo, expect, test } from './harness.ts';

const SEED = 0x5eed_0e2e;

test('script in the popup gets only error values for unknown channels and malformed requests', async ({
  openPopup,
}) => {
  let handled = 0;
  const { page, bridge, problems } = await openPopup({
    appInfo: () => demoAppInfo(),
    openExternal: async () => {
      handled++;
    },
    hidePopup: () => {
      handled++;
    },
  });
  await expect(page.locator('#app')).not.toBeEmpty();

  const results = await page.evaluate(
    async ({ channels, seed }) => {
      let a = seed >>> 0;
      const random = (): number => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const unknown: unknown[] = [
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '',
        ' state:get',
        'STATE:GET',
        'state:get\u0000',
        'state:get/../link:open',
        'ipc:raw',
        'electron:shell',
        42,
        null,
        undefined,
        ['state:get'],
        { channel: 'state:get' },
      ];
      const requests: unknown[] = [
        null,
        0,
        NaN,
        '',
        'x'.repeat(100_000),
        [],
        { chatId: '../../etc/passwd', extra: true },
        { url: 'javascript:alert(1)', and: 'more' },
        JSON.parse('{"__proto__": {"polluted": 1}}'),
        { theme: 'neon' },
        { a: { a: { a: { a: { a: [[[[[]]]]] } } } } },
      ];
      const g = globalThis as unknown as {
        gct: { invoke(c: unknown, r?: unknown): Promise<unknown> };
      };
      const out: { kind: 'unknown' | 'known'; channel: string; result: unknown; threw?: string }[] = [];
      const call = async (kind: 'unknown' | 'known', channel: unknown, request: unknown): Promise<void> => {
        try {
          out.push({ kind, channel: String(channel), result: await g.gct.invoke(channel, request) });
        } catch (err) {
          out.push({ kind, channel: String(channel), result: null, threw: String(err) });
        }
      };
      for (const channel of unknown) await call('unknown', channel, pick(requests));
      // Channels that take nothing refuse anything; the others refuse these malformed shapes.
      for (let i = 0; i < 150; i++) await call('known', pick(channels), pick(requests));
      const original = g.gct.invoke;
      try {
        (g.gct as { invoke: unknown }).invoke = () => 'mine';
      } catch {
        // a frozen bridge refuses the write: what is wanted
      }
      let replaced = g.gct.invoke !== original;
      try {
        Object.defineProperty(g, 'gct', { value: {} });
        replaced = true;
      } catch {
        // not configurable: what is wanted
      }
      return { out, replaced, polluted: ({} as Record<string, unknown>)['polluted'] ?? null };
    },
    { channels: [...INVOKE_CHANNELS], seed: SEED },
  );

  expect(results.replaced, 'the bridge could be replaced').toBe(false);
  expect(results.polluted).toBeNull();
  expect(results.out.filter((r) => r.threw)).toEqual([]);
  for (const r of results.out) {
    expect(r.result, `${r.kind} ${JSON.stringify(r.channel)}`).toMatchObject({
      ok: false,
      error: { code: r.kind === 'unknown' ? 'unknown-channel' : 'bad-request' },
    });
  }
  expect(results.out.length).toBe(166);
  // The calls crossed to the main-process side (the dispatcher saw them), and no handler acted.
  expect(bridge.calls.filter((c) => !isInvokeChannel(c.channel))).toHaveLength(16);
  expect(handled).toBe(0);
  // The page still works: a valid call succeeds.
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as { gct: { invoke(c: string): Promise<unknown> } }).gct.invoke('app:get-info'),
    ),
  ).toMatchObject({
    ok: true,
  });
  expect(problems).toEqual([]);
});
