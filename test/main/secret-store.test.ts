// SecretStore: the same contract against the in-memory store and against the REAL OS keyring
// (keytar → libsecret → Secret Service), with proof from outside the app (secret-tool, or keytar's
// findCredentials where secret-tool is missing) that the secret really is in the keyring.
//
// The keyring tests need a reachable, unlocked Secret Service. `npm test` (scripts/test.mjs)
// provides one with scripts/with-keyring.sh when the shell has none, and then sets
// GCT_REQUIRE_KEYRING=1 (as it does on CI): with it set, an unreachable keyring FAILS this file;
// without it, the keyring tests are skipped and their names say why.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, afterAll } from 'vitest';
import type * as KeytarModule from 'keytar';
import {
  createKeytarSecretStore,
  createMemorySecretStore,
  type SecretStore,
} from '../../src/main/auth/secret-store.ts';

const SERVICE = `gct-test-secret-store-${process.pid}-${randomUUID().slice(0, 8)}`;
const REQUIRED = process.env.GCT_REQUIRE_KEYRING === '1';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref();
    }),
  ]);
}

// Loaded here rather than imported, so that a keytar that cannot load (no libsecret) skips the
// keyring tests with that reason instead of failing the whole file.
type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;
const keytarLoad: { keytar: Keytar } | { error: string } = await import('keytar').then(
  (mod) => ({ keytar: mod.default }),
  (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
);
const keytar = 'keytar' in keytarLoad ? keytarLoad.keytar : (undefined as unknown as Keytar);

/** Can this process write, read and delete a keyring entry right now? If not, why. */
async function probeKeyring(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if ('error' in keytarLoad) {
    return { ok: false, reason: `keytar could not be loaded: ${keytarLoad.error}` };
  }
  if (!process.env.DBUS_SESSION_BUS_ADDRESS && process.platform === 'linux') {
    return { ok: false, reason: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset)' };
  }
  const service = `${SERVICE}-probe`;
  try {
    await withTimeout(keytar.setPassword(service, 'probe', 'probe'), 10_000, 'the Secret Service');
    const back = await withTimeout(keytar.getPassword(service, 'probe'), 10_000, 'the Secret Service');
    await withTimeout(keytar.deletePassword(service, 'probe'), 10_000, 'the Secret Service');
    return back === 'probe' ? { ok: true } : { ok: false, reason: 'a probe secret did not read back' };
  } catch (err) {
    return {
      ok: false,
      reason: `OS keyring unreachable: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

const keyring = await probeKeyring();
const skipReason = keyring.ok ? '' : ` [skipped: ${keyring.reason}; run under scripts/with-keyring.sh]`;

const hasSecretTool =
  process.platform === 'linux' &&
  spawnSync('secret-tool', ['--version'], { stdio: 'ignore' }).error === undefined;

/** What the keyring holds for (service, account), asked outside the SecretStore code. */
async function lookupOutside(service: string, account: string): Promise<string | null> {
  if (hasSecretTool) {
    const r = spawnSync('secret-tool', ['lookup', 'service', service, 'account', account], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (r.error) throw r.error;
    // secret-tool exits 1 with no output when nothing matches.
    return r.status === 0 ? r.stdout : null;
  }
  const found = await keytar.findCredentials(service);
  return found.find((c) => c.account === account)?.password ?? null;
}

/** The contract every SecretStore keeps; run against each implementation. */
async function exerciseContract(store: SecretStore, account: string): Promise<void> {
  expect(await store.get(account)).toBeNull();
  expect(await store.delete(account)).toBe(false);

  await store.set(account, 'first-secret');
  expect(await store.get(account)).toBe('first-secret');

  await store.set(account, 'second secret, with ünïcödé ✓');
  expect(await store.get(account)).toBe('second secret, with ünïcödé ✓');

  expect(await store.delete(account)).toBe(true);
  expect(await store.get(account)).toBeNull();
  expect(await store.delete(account)).toBe(false);

  await expect(store.get('')).rejects.toThrow(/account/);
  await expect(store.set(account, '')).rejects.toThrow(/secret/);
}

describe('createMemorySecretStore (tests only, never touches the OS)', () => {
  it('keeps the SecretStore contract', async () => {
    await exerciseContract(createMemorySecretStore(), 'alice@example.com');
  });

  it('keeps separate accounts apart and starts from the given entries', async () => {
    const store = createMemorySecretStore({ bob: 'b-secret' });
    await store.set('carol', 'c-secret');
    expect(await store.get('bob')).toBe('b-secret');
    expect(await store.get('carol')).toBe('c-secret');
  });
});

describe('createKeytarSecretStore against the real OS keyring', () => {
  afterAll(async () => {
    if (!keyring.ok) return;
    for (const { account } of await keytar.findCredentials(SERVICE)) {
      await keytar.deletePassword(SERVICE, account);
    }
  });

  if (REQUIRED) {
    it('the OS keyring is reachable (GCT_REQUIRE_KEYRING=1)', () => {
      if (!keyring.ok) {
        throw new Error(
          `GCT_REQUIRE_KEYRING=1 but ${keyring.reason}. Run the tests under scripts/with-keyring.sh ` +
            '(needs Debian packages dbus, gnome-keyring, libsecret-1-dev) or use `npm test`.',
        );
      }
    });
  }

  it.skipIf(!keyring.ok)(`keeps the SecretStore contract in the keyring${skipReason}`, async () => {
    await exerciseContract(createKeytarSecretStore(SERVICE), 'contract@example.com');
  });

  it.skipIf(!keyring.ok)(
    `really writes to, overwrites in and deletes from the keyring${skipReason}`,
    async () => {
      const store = createKeytarSecretStore(SERVICE);
      const account = `user-${randomUUID()}@example.com`;

      await store.set(account, 'refresh-token-1');
      expect(await lookupOutside(SERVICE, account)).toBe('refresh-token-1');

      await store.set(account, 'refresh-token-2');
      expect(await lookupOutside(SERVICE, account)).toBe('refresh-token-2');
      expect((await keytar.findCredentials(SERVICE)).filter((c) => c.account === account)).toHaveLength(1);

      // A secret under another service name is a different entry.
      expect(await createKeytarSecretStore(`${SERVICE}-other`).get(account)).toBeNull();

      expect(await store.delete(account)).toBe(true);
      expect(await lookupOutside(SERVICE, account)).toBeNull();
    },
  );
});

describe('createKeytarSecretStore without a reachable keyring', () => {
  it('rejects with a clear SecretStoreUnavailableError instead of crashing', () => {
    // A child process, so that this process's own D-Bus connection is untouched.
    const moduleUrl = pathToFileURL(
      fileURLToPath(new URL('../../src/main/auth/secret-store.ts', import.meta.url)),
    ).href;
    const script = `
      const { createKeytarSecretStore } = await import(${JSON.stringify(moduleUrl)});
      const store = createKeytarSecretStore('gct-test-unreachable');
      try {
        await store.get('someone');
        console.log(JSON.stringify({ resolved: true }));
      } catch (err) {
        console.log(JSON.stringify({ name: err.name, message: err.message }));
      }`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/gct-bus',
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const r = spawnSync(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script],
      { encoding: 'utf8', env, timeout: 15_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const outcome = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    if (process.platform !== 'linux') return; // only Linux's keyring depends on a D-Bus session
    expect(outcome.name).toBe('SecretStoreUnavailableError');
    expect(outcome.message).toMatch(/OS keyring could not read a secret \(service "gct-test-unreachable"\)/);
  });
});
