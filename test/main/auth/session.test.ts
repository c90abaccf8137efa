// The whole sign-in against the simulator: PKCE through the loopback listener, tokens kept only in
// the secret store, refresh before and after expiry, and a clear "sign in again" when refresh is
// impossible — never a loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followAuthorizeRedirect } from '../../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore, type SecretStore } from '../../../src/main/auth/secret-store.ts';
import { AuthSession, NeedsSignInError } from '../../../src/main/auth/session.ts';
import { resolveEnvironment } from '../../../src/main/genesys/environment.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, quiet: true });
});
afterAll(() => sim.close());

function session(secrets: SecretStore, extra: { loginHint?: string; now?: () => number } = {}): AuthSession {
  return new AuthSession({
    env: resolveEnvironment(sim.url),
    clientId: 'gct-test',
    secrets,
    openBrowser: (url) => followAuthorizeRedirect(url),
    loopbackPort: 0,
    signInTimeoutMs: 5000,
    ...extra,
  });
}

async function whoAmI(token: string): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${sim.url}/api/v2/users/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, ...(res.ok ? { id: ((await res.json()) as { id: string }).id } : {}) };
}

describe('AuthSession against the simulator', () => {
  it('signs in with PKCE through the loopback redirect and keeps the tokens only in the secret store', async () => {
    const secrets = createMemorySecretStore();
    const s = session(secrets);
    await s.signIn();
    expect(s.state).toBe('signed-in');
    const token = await s.accessToken();
    await expect(whoAmI(token)).resolves.toEqual({ status: 200, id: sim.demoUser.id });
    const kept = JSON.parse((await secrets.get(s.account))!) as {
      accessToken: string;
      refreshToken?: string;
    };
    expect(kept.accessToken).toBe(token);
    // The simulator's strict default: no refresh token for a public PKCE client.
    expect(kept.refreshToken).toBeUndefined();
  });

  it('signs in as the demo user named by the login hint', async () => {
    const other = sim.users.find((u) => u.id !== sim.demoUser.id)!;
    const s = session(createMemorySecretStore(), { loginHint: other.email });
    await s.signIn();
    await expect(whoAmI(await s.accessToken())).resolves.toMatchObject({ id: other.id });
  });

  it('restores a session from the secret store after a restart', async () => {
    const secrets = createMemorySecretStore();
    await session(secrets).signIn();
    const again = session(secrets);
    await expect(again.restore()).resolves.toBe('signed-in');
    await expect(whoAmI(await again.accessToken())).resolves.toMatchObject({ status: 200 });
  });

  /** Runs `body` against a simulator told to issue refresh tokens (off by default). */
  async function withRefreshTokens(body: () => Promise<void>): Promise<void> {
    sim.control.setRefreshTokens(true);
    try {
      await body();
    } finally {
      sim.control.setRefreshTokens(false);
    }
  }

  it('keeps the refresh token when the OAuth client issues one', () =>
    withRefreshTokens(async () => {
      const secrets = createMemorySecretStore();
      const s = session(secrets);
      await s.signIn();
      const kept = JSON.parse((await secrets.get(s.account))!) as { refreshToken?: string };
      expect(kept.refreshToken).toBeTruthy();
    }));

  it('refreshes a token that is about to expire, and after a 401', () =>
    withRefreshTokens(async () => {
      const secrets = createMemorySecretStore();
      let now = Date.now();
      const s = session(secrets, { now: () => now });
      await s.signIn();
      const first = await s.accessToken();
      now += 25 * 3600 * 1000; // past the default lifetime: refresh before use
      const second = await s.accessToken();
      expect(second).not.toBe(first);
      await expect(whoAmI(second)).resolves.toMatchObject({ status: 200 });

      sim.control.expireTokens(sim.demoUser.id); // access tokens die; the refresh token still works
      await s.unauthorized(second);
      const third = await s.accessToken();
      expect(third).not.toBe(second);
      await expect(whoAmI(third)).resolves.toMatchObject({ status: 200 });
    }));

  it('without a refresh token, an expired session asks to sign in again and keeps nothing stale', async () => {
    const secrets = createMemorySecretStore();
    const s = session(secrets);
    await s.signIn();
    const token = await s.accessToken();
    sim.control.expireTokens(sim.demoUser.id);
    await expect(s.unauthorized(token)).rejects.toBeInstanceOf(NeedsSignInError);
    expect(s.state).toBe('needs-sign-in');
    await expect(s.accessToken()).rejects.toBeInstanceOf(NeedsSignInError);
  });

  it('a refused refresh token leads to "sign in again", not a loop', () =>
    withRefreshTokens(async () => {
      const secrets = createMemorySecretStore();
      let now = Date.now();
      const s = session(secrets, { now: () => now });
      await s.signIn();
      // Another sign-in of the same client rotates nothing here; a stolen-and-used refresh token would.
      const kept = JSON.parse((await secrets.get(s.account))!) as { refreshToken: string };
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: kept.refreshToken,
        client_id: 'gct-test',
      });
      const rotated = await fetch(`${sim.url}/oauth/token`, { method: 'POST', body: form });
      expect(rotated.status).toBe(200); // the old refresh token is now spent
      now += 25 * 3600 * 1000;
      await expect(s.accessToken()).rejects.toBeInstanceOf(NeedsSignInError);
      expect(s.state).toBe('needs-sign-in');
      expect(await secrets.get(s.account)).toBeNull();
    }));

  it('a revoked session (refresh token included) asks to sign in again', async () => {
    const s = session(createMemorySecretStore());
    await s.signIn();
    const token = await s.accessToken();
    sim.control.revokeTokens(sim.demoUser.id);
    await expect(s.unauthorized(token)).rejects.toBeInstanceOf(NeedsSignInError);
    expect(s.state).toBe('needs-sign-in');
  });

  it('signing out removes the secrets and revokes the token', async () => {
    const secrets = createMemorySecretStore();
    const s = session(secrets);
    await s.signIn();
    const token = await s.accessToken();
    await s.signOut(async (t) => {
      await fetch(`${sim.url}/api/v2/tokens/me`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${t}` },
      });
    });
    expect(s.state).toBe('signed-out');
    expect(await secrets.get(s.account)).toBeNull();
    await expect(whoAmI(token)).resolves.toMatchObject({ status: 401 });
  });

  it('a wrong client is explained', async () => {
    const strict = await startSimulator({ seed: 3, quiet: true, allowedClientIds: ['someone-else'] });
    try {
      const s = new AuthSession({
        env: resolveEnvironment(strict.url),
        clientId: 'gct-test',
        secrets: createMemorySecretStore(),
        openBrowser: (url) => followAuthorizeRedirect(url),
        loopbackPort: 0,
        signInTimeoutMs: 3000,
      });
      await expect(s.signIn()).rejects.toThrow();
      expect(s.state).toBe('signed-out');
    } finally {
      await strict.close();
    }
  });
});
