// The app's only home for secrets (OAuth tokens, client secrets). Nothing else in the app may
// write a secret to disk, to electron-store, to a log or across IPC.
//
// Two implementations of one interface:
// - createKeytarSecretStore(): the OS keyring through keytar (Secret Service/libsecret on Linux,
//   Keychain on macOS, Credential Vault on Windows). The ONLY one the running app uses. keytar is
//   loaded lazily on first use, so a machine without a usable keyring (no libsecret, no D-Bus
//   session, no Secret Service) gets a SecretStoreUnavailableError from that call, with the reason,
//   instead of a crash when the app starts.
// - createMemorySecretStore(): a Map in this process. For unit tests that run without Electron and
//   must not touch the OS keyring (token refresh logic, sign-in flows against the simulator). Never
//   used by the app: its secrets die with the process.
// test/main/secret-store.test.ts runs the same contract tests against both, the keytar one against
// a REAL keyring.

import type * as KeytarModule from 'keytar';
import { errorText } from '../../shared/errors.ts';

export interface SecretStore {
  /** The secret stored for `account`, or null if there is none. */
  get(account: string): Promise<string | null>;
  /** Stores (or replaces) the secret for `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Removes the secret for `account`; true if there was one. */
  delete(account: string): Promise<boolean>;
}

export const DEFAULT_SECRET_SERVICE = 'Genesys Chat Tray';

/** The OS keyring could not be loaded or reached. `message` says why, for the log and the UI. */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
}

type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;

let keytarPromise: Promise<Keytar> | undefined;

function loadKeytar(): Promise<Keytar> {
  keytarPromise ??= import('keytar').then(
    (mod) => (mod.default ?? mod) as Keytar,
    (err: unknown) => {
      keytarPromise = undefined; // let a later call try again (e.g. after libsecret is installed)
      throw new SecretStoreUnavailableError(
        `The OS keyring module (keytar) could not be loaded: ${errorText(err)}. ` +
          'On Linux it needs libsecret (Debian: libsecret-1-0).',
        { cause: err },
      );
    },
  );
  return keytarPromise;
}

function checkAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0) {
    throw new TypeError('SecretStore: account must be a non-empty string.');
  }
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError('SecretStore: secret must be a non-empty string (use delete() to remove one).');
  }
}

/**
 * The OS keyring, under `service` (the name the user sees in their keyring manager). Each call
 * loads keytar if needed and rejects with SecretStoreUnavailableError when the keyring cannot be
 * reached (for example "Cannot autolaunch D-Bus without X11 $DISPLAY" on a bare Linux session).
 */
export function createKeytarSecretStore(service: string = DEFAULT_SECRET_SERVICE): SecretStore {
  if (typeof service !== 'string' || service.length === 0) {
    throw new TypeError('SecretStore: service must be a non-empty string.');
  }
  async function call<T>(what: string, fn: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = await loadKeytar();
    try {
      return await fn(keytar);
    } catch (err) {
      throw new SecretStoreUnavailableError(
        `The OS keyring could not ${what} (service "${service}"): ${errorText(err)}`,
        { cause: err },
      );
    }
  }
  return {
    async get(account) {
      checkAccount(account);
      return call('read a secret', (k) => k.getPassword(service, account));
    },
    async set(account, secret) {
      checkAccount(account);
      checkSecret(secret);
      await call('store a secret', (k) => k.setPassword(service, account, secret));
    },
    async delete(account) {
      checkAccount(account);
      return call('delete a secret', (k) => k.deletePassword(service, account));
    },
  };
}

/** A process-local store for tests that must not touch the OS keyring. Not for the app. */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const secrets = new Map<string, string>(Object.entries(initial));
  return {
    async get(account) {
      checkAccount(account);
      return secrets.get(account) ?? null;
    },
    async set(account, secret) {
      checkAccount(account);
      checkSecret(secret);
      secrets.set(account, secret);
    },
    async delete(account) {
      checkAccount(account);
      return secrets.delete(account);
    },
  };
}
