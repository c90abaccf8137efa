// Secrets stay in the keyring: a full run of the built popup in account mode against the simulator
// (a real PKCE sign-in through the loopback listener, a mention, a quick reply, a reaction, a pin,
// a token refresh, server settings and app preferences, sign-out), then a scan of everything the
// app wrote or showed for every secret the simulator issued (access and refresh tokens), every
// authorization code, and anything shaped like a bearer token, a token field, a code verifier or
// a long random string: the store's files, the log lines, the worker's stdout and stderr (where
// the main-side code runs here), the renderer's storage (localStorage, sessionStorage, cookies,
// IndexedDB, Cache Storage), its DOM, every IPC call and event, and the notifications.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, startAccountApp, test, until, type AccountApp, type TestBridge } from './harness.ts';

let app: AccountApp | null = null;
const restoreOutput: (() => void)[] = [];
test.afterEach(async () => {
  for (const restore of restoreOutput.splice(0)) restore();
  await app?.stop();
  app = null;
});

/** Tees this process's stdout and stderr into `into` until the test ends. */
function captureOutput(into: string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restoreOutput.push(() => {
      stream.write = write as typeof stream.write;
    });
  }
}

/** Strings shaped like secrets, whatever their value. */
const SHAPES: [string, RegExp][] = [
  ['a bearer token', /\bbearer\s+[\w.~+/-]{8,}/i],
  ['a token field', /\b(?:access|refresh|id)[_-]?token\b["'\s]*[:=]\s*["']?[\w.~+/-]{8,}/i],
  ['a code verifier', /\bcode[_-]?verifier\b["'\s]*[:=]\s*["']?[\w.~-]{8,}/i],
  ['an authorization code in a URL', /[?&]code=[\w.~-]{8,}/i],
  // 32+ characters of base64url with upper case, lower case and digits: random, not an id (ids
  // here are lower-case hex, UUIDs and jids).
  ['a long random string', /(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{32,}(?![\w-])/],
];

function findSecrets(sources: Record<string, string>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(sources)) {
    for (const secret of secrets) {
      if (text.includes(secret)) found.push(`${where}: an issued secret (${secret.slice(0, 6)}…)`);
    }
    for (const [what, shape] of SHAPES) {
      const m = shape.exec(text);
      if (m) found.push(`${where}: ${what}: ${JSON.stringify(m[0].slice(0, 24))}…`);
    }
  }
  return found;
}

async function filesUnder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[`store file ${path.slice(dir.length + 1)}`] = await readFile(path, 'utf8');
  }
  return out;
}

/** Everything the page keeps: Web Storage, cookies, IndexedDB (names and records), Cache Storage. */
async function rendererStorage(page: Page): Promise<Record<string, string>> {
  const inPage = await page.evaluate(async () => {
    type Req<T> = { result: T; onsuccess: (() => void) | null; onerror: (() => void) | null };
    type Store = { getAll(): Req<unknown[]> };
    type Db = {
      objectStoreNames: ArrayLike<string>;
      transaction(names: string, mode: string): { objectStore(name: string): Store };
      close(): void;
    };
    const g = globalThis as unknown as {
      localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
      sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
      document: { cookie: string; documentElement: { outerHTML: string } };
      indexedDB: { databases(): Promise<{ name?: string }[]>; open(name: string): Req<Db> };
      caches: {
        keys(): Promise<string[]>;
        open(name: string): Promise<{
          keys(): Promise<{ url: string }[]>;
          match(r: { url: string }): Promise<{ text(): Promise<string> } | undefined>;
        }>;
      };
    };
    const done = <T>(r: Req<T>): Promise<T> =>
      new Promise((ok, fail) => {
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(new Error('IndexedDB request failed'));
      });
    const webStorage = (s: typeof g.localStorage): Record<string, string | null> => {
      const out: Record<string, string | null> = {};
      for (let i = 0; i < s.length; i++) out[s.key(i)!] = s.getItem(s.key(i)!);
      return out;
    };
    const indexed: Record<string, unknown> = {};
    for (const { name } of await g.indexedDB.databases()) {
      if (!name) continue;
      const db = await done(g.indexedDB.open(name));
      for (const store of Array.from(db.objectStoreNames)) {
        indexed[`${name}/${store}`] = await done(
          db.transaction(store, 'readonly').objectStore(store).getAll(),
        );
      }
      db.close();
    }
    const cached: Record<string, string> = {};
    for (const name of await g.caches.keys()) {
      const cache = await g.caches.open(name);
      for (const req of await cache.keys())
        cached[`${name} ${req.url}`] = (await (await cache.match(req))?.text()) ?? '';
    }
    return {
      localStorage: JSON.stringify(webStorage(g.localStorage)),
      sessionStorage: JSON.stringify(webStorage(g.sessionStorage)),
      cookies: g.document.cookie,
      indexedDB: JSON.stringify(indexed),
      cacheStorage: JSON.stringify(cached),
      dom: g.document.documentElement.outerHTML,
    };
  });
  const state = await page.context().storageState({ indexedDB: true });
  return {
    'renderer localStorage': inPage.localStorage,
    'renderer sessionStorage': inPage.sessionStorage,
    'renderer cookies': inPage.cookies,
    'renderer IndexedDB': inPage.indexedDB,
    'renderer Cache Storage': inPage.cacheStorage,
    'renderer DOM': inPage.dom,
    'browser context storage state': JSON.stringify(state),
  };
}

test('after a full account session, no token, code or verifier is anywhere but the keyring', async ({
  openPopup,
}) => {
  test.setTimeout(60_000);
  const output: string[] = [];
  captureOutput(output);
  console.log('secrets scan: output captured from here on');
  /** The DOM of each view the run passes through (the renderer must never hold a token). */
  const views: Record<string, string> = {};
  app = await startAccountApp(41);
  const a = app;
  const { page, bridge: realBridge, problems } = await openPopup(a.deps);
  // Every event the page is sent, kept for the scan.
  const events: unknown[] = [];
  const bridge: TestBridge = {
    calls: realBridge.calls,
    emit: (event, payload) => {
      events.push({ event, payload });
      return realBridge.emit(event, payload);
    },
  };
  a.connect(bridge);
  const sim = a.sim();
  const me = sim.demoUser;
  // This run is also about the refresh token (it must stay in the keyring too): the simulator is told
  // to issue one (its strict default for a PKCE client is none).
  sim.control.setRefreshTokens(true);

  // Sign in through the popup: custom environment, client id, loopback port; PKCE in the "browser".
  await page.getByTestId('region').selectOption('__custom__');
  await page.getByLabel('Environment URL').fill(a.signIn.environment);
  await page.getByLabel('OAuth client id').fill(a.signIn.clientId);
  await page.getByLabel('Loopback port').fill(String(a.signIn.loopbackPort));
  await page.getByRole('button', { name: 'Sign in with Genesys Cloud' }).click();
  await expect(page.getByTestId('tab-inbox')).toBeVisible({ timeout: 15_000 });
  await until(() => a.controller.state().lastSyncAt, 'the first sync');
  expect(a.controller.mode).toBe('account');
  expect(a.authCodes).toHaveLength(1);
  views['renderer DOM, inbox'] = await page.content();

  // A colleague mentions the user; they open it, reply, react and pin.
  const room = sim.control.chats(me.id).find((c) => c.kind === 'room' && c.participants.length > 2)!;
  const colleague = room.participants.find((u) => u !== me.id)!;
  const mention = sim.control.post({
    as: colleague,
    room: room.jid!,
    body: `@${me.name} the rollout doc? https://example.com/rollout`,
    mentions: [me.id],
  });
  await page.getByTestId('inbox-chat').filter({ hasText: 'the rollout doc' }).click();
  const msg = page.locator(`[data-message-id="${mention.id}"]`);
  await expect(msg).toBeVisible();
  await page.getByTestId('composer').fill('Here it is, give me a minute.');
  await page.getByTestId('composer').press('Enter');
  await until(
    () => a.controller.state().outbox.some((o) => o.kind === 'reply' && o.state === 'sent'),
    'the reply to be sent',
  );
  await msg.hover();
  await msg.getByTestId('message-actions').click();
  await page.getByRole('button', { name: 'React 👍' }).click();
  await until(() => sim.control.message(mention.id)?.reactions?.length, 'the reaction');
  await msg.hover();
  await msg.getByTestId('message-actions').click();
  await page.getByRole('button', { name: 'Pin', exact: true }).click();
  await until(() => sim.control.chats(me.id).some((c) => c.pinnedMessageIds.includes(mention.id)), 'the pin');

  views['renderer DOM, conversation'] = await page.content();

  // The access token expires early: the app refreshes (the refresh token rotates) and carries on.
  const issuedBefore = sim.control.issuedSecrets().length;
  sim.control.expireTokens(me.id);
  sim.control.dropSockets();
  await until(() => sim.control.issuedSecrets().length >= issuedBefore + 2, 'a token refresh', 15_000);
  await until(() => a.controller.state().connection === 'push', 'push again', 15_000);

  // Settings: a server setting and app preferences.
  await page.getByTestId('back').click();
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-mentions-only').click();
  await expect(page.getByTestId('setting-mentions-only')).toBeChecked();
  await page.getByTestId('pref-theme').selectOption('dark');
  await page.getByTestId('pref-keywords').fill('rollout, incident');
  await page.getByTestId('pref-keywords').press('Tab');
  await expect.poll(() => a.controller.engine?.prefs().keywords).toEqual(['rollout', 'incident']);
  views['renderer DOM, settings'] = await page.content();

  // The tokens are in the keyring (the scan below looks for strings that really exist)...
  const account = `tokens:${a.signIn.environment}:${a.signIn.clientId}`;
  const kept = (await a.keyring.get(account)) ?? '';
  const secrets = [...sim.control.issuedSecrets(), ...a.authCodes];
  expect(secrets.length).toBeGreaterThanOrEqual(5);
  expect(findSecrets({ keyring: kept }, secrets).length).toBeGreaterThanOrEqual(2);

  // ...and after signing out, not even there.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with Genesys Cloud' })).toBeVisible();
  expect(await a.keyring.get(account)).toBeNull();

  // Let the store flush, then scan everything.
  await a.controller.stop();
  const sources: Record<string, string> = {
    ...(await filesUnder(a.storeDir)),
    'log lines': a.logs.join('\n'),
    'stdout and stderr': output.join(''),
    ...(await rendererStorage(page)),
    ...views,
    'IPC calls': JSON.stringify(bridge.calls),
    'IPC events': JSON.stringify(events),
    notifications: JSON.stringify(a.notifications),
  };
  expect(Object.keys(sources).filter((k) => k.startsWith('store file')).length).toBeGreaterThan(0);
  expect(a.logs.some((l) => l.includes('signed in'))).toBe(true);
  expect(sources['stdout and stderr']).toContain('output captured from here on');
  expect(bridge.calls.some((c) => c.channel === 'auth:sign-in' && c.result.ok)).toBe(true);
  expect(findSecrets(sources, secrets)).toEqual([]);
  expect(problems).toEqual([]);
});
