// Proxy user names and passwords: only in the OS keyring (the app's SecretStore), one entry per
// proxy (`proxy:<host>:<port>`), validated when read back. Never in the settings file, a log or IPC
// towards the renderer.
import { ProxyCredentialsSchema } from '../../shared/proxy.ts';
import type { SecretStore } from '../auth/secret-store.ts';
import type { Credentials } from './dispatchers.ts';

export function proxySecretAccount(proxy: string): string {
  return `proxy:${proxy}`;
}

export class ProxyCredentialStore {
  private readonly secrets: SecretStore | undefined;
  private readonly log: (m: string) => void;

  constructor(secrets: SecretStore | undefined, log: (m: string) => void) {
    this.secrets = secrets;
    this.log = log;
  }

  /** The saved credentials of a proxy, or undefined (none, unreadable, or no keyring). */
  async load(proxy: string): Promise<Credentials | undefined> {
    if (!this.secrets) return undefined;
    let raw: string | null;
    try {
      raw = await this.secrets.get(proxySecretAccount(proxy));
    } catch (err) {
      this.log(`net: the keyring could not be read for the proxy at ${proxy}: ${String(err)}`);
      return undefined;
    }
    if (raw === null) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = null;
    }
    const checked = ProxyCredentialsSchema.safeParse(parsed);
    if (!checked.success) {
      this.log(`net: the saved sign-in for the proxy at ${proxy} is unreadable; ignoring it`);
      return undefined;
    }
    return checked.data;
  }

  /** Saves them in the keyring (throws with the keyring's reason when it cannot). */
  async save(proxy: string, credentials: Credentials): Promise<void> {
    if (!this.secrets) return;
    await this.secrets.set(proxySecretAccount(proxy), JSON.stringify(credentials));
  }
}
