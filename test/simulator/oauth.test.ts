// OAuth: PKCE code flow, loopback redirects, client credentials, refresh rotation, expiry, sign-out.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, loadSdk, rejection, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
const REDIRECT = 'http://127.0.0.1:53682/callback';

beforeAll(async () => {
  sim = await startTestSimulator();
  sdk = await loadSdk(sim);
});
afterAll(() => sim.close());

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(
  params: Record<string, string>,
): Promise<{ status: number; location: URL | null; text: string }> {
  const query = new URLSearchParams(params).toString();
  const res = await fetch(`${sim.url}/oauth/authorize?${query}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : null, text: await res.text() };
}

async function codeFor(challenge: string, extra: Record<string, string> = {}): Promise<string> {
  const res = await authorize({
    response_type: 'code',
    client_id: 'tray-app',
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'xyz',
    ...extra,
  });
  expect(res.status).toBe(302);
  expect(res.location?.searchParams.get('state')).toBe('xyz');
  return res.location?.searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('authorization code with PKCE', () => {
  it('signs in the default demo user through the SDK and the redirect carries code and state', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const auth = await sdk.ApiClient.authorizePKCEGrant('tray-app', verifier, code, REDIRECT);
    expect(auth.accessToken).toBeTruthy();
    const me = await new sdk.UsersApi().getUsersMe();
    expect(me.id).toBe(sim.demoUser.id);
    expect(me.chat?.jabberId).toMatch(/@demo\.genesys\.local$/);
  });

  it('honours login_hint by email and keeps the loopback redirect query', async () => {
    const colleague = sim.users[2];
    const { verifier, challenge } = pkce();
    const res = await authorize({
      response_type: 'code',
      client_id: 'tray-app',
      redirect_uri: 'http://localhost:9000/cb?keep=1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: colleague?.email ?? '',
    });
    expect(res.location?.searchParams.get('keep')).toBe('1');
    const tokens = await token({
      grant_type: 'authorization_code',
      code: res.location?.searchParams.get('code') ?? '',
      redirect_uri: 'http://localhost:9000/cb?keep=1',
      client_id: 'tray-app',
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: 'bearer', expires_in: 86400 });
    const me = await call(sim, 'GET', '/api/v2/users/me', { token: String(tokens.json.access_token) });
    expect(me.json.id).toBe(colleague?.id);
  });

  it('refuses a wrong verifier, a reused code and a different redirect_uri', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'tray-app',
      code_verifier: pkce().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe('invalid_grant');
    const reused = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'tray-app',
      code_verifier: verifier,
    });
    expect(reused.json.error).toBe('invalid_grant');
    const other = pkce();
    const code2 = await codeFor(other.challenge);
    const redirect = await token({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: 'http://127.0.0.1:1/other',
      client_id: 'tray-app',
      code_verifier: other.verifier,
    });
    expect(redirect.json).toMatchObject({ error: 'invalid_grant' });
    // The token call must repeat the authorize call's redirect_uri exactly (no normalising, no
    // other loopback host or port, not left out).
    for (const variant of [
      'http://127.0.0.1:53682/callback/',
      'http://localhost:53682/callback',
      'http://127.0.0.1:53683/callback',
      undefined,
    ]) {
      const p = pkce();
      const res = await token({
        grant_type: 'authorization_code',
        code: await codeFor(p.challenge),
        ...(variant !== undefined ? { redirect_uri: variant } : {}),
        client_id: 'tray-app',
        code_verifier: p.verifier,
      });
      expect(res, String(variant)).toMatchObject({
        status: 400,
        json: { error: 'invalid_grant', error_description: expect.stringMatching(/redirect_uri/) },
      });
    }
    const missing = await token({ grant_type: 'authorization_code', client_id: 'tray-app' });
    expect(missing).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });

  it('answers a bad redirect URI with a 400 page and never redirects', async () => {
    for (const redirect of ['https://127.0.0.1:5000/cb', 'http://evil.example:5000/cb', 'not a url', '']) {
      const res = await authorize({
        response_type: 'code',
        client_id: 'tray-app',
        redirect_uri: redirect,
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      });
      expect(res.status).toBe(400);
      expect(res.location).toBeNull();
      expect(res.text).toContain('redirect');
    }
  });

  it('redirects other errors with error and state', async () => {
    const plain = await authorize({
      response_type: 'code',
      client_id: 'tray-app',
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'plain',
      state: 's1',
    });
    expect(plain.status).toBe(302);
    expect(plain.location?.searchParams.get('error')).toBe('invalid_request');
    expect(plain.location?.searchParams.get('state')).toBe('s1');
    const noChallenge = await authorize({
      response_type: 'code',
      client_id: 'tray-app',
      redirect_uri: REDIRECT,
    });
    expect(noChallenge.location?.searchParams.get('error')).toBe('invalid_request');
    const implicit = await authorize({
      response_type: 'token',
      client_id: 'tray-app',
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    expect(implicit.location?.searchParams.get('error')).toBe('unsupported_response_type');
    const unknownUser = await authorize({
      response_type: 'code',
      client_id: 'tray-app',
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      login_hint: 'nobody@nowhere.example',
    });
    expect(unknownUser.location?.searchParams.get('error')).toBe('access_denied');
  });

  it('issues no refresh token to a PKCE client by default', async () => {
    const fresh = await startTestSimulator();
    try {
      const p = pkce();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: 'tray-app',
        redirect_uri: REDIRECT,
        code_challenge: p.challenge,
        code_challenge_method: 'S256',
      });
      const auth = await fetch(`${fresh.url}/oauth/authorize?${query}`, { redirect: 'manual' });
      const code = new URL(auth.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const res = await fetch(`${fresh.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          client_id: 'tray-app',
          code_verifier: p.verifier,
        }).toString(),
      });
      const json = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(200);
      expect(Object.keys(json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    } finally {
      await fresh.close();
    }
  });

  it('rotates refresh tokens when told to issue them, and can stop again', async () => {
    sim.control.setRefreshTokens(true);
    const { verifier, challenge } = pkce();
    const first = await token({
      grant_type: 'authorization_code',
      code: await codeFor(challenge),
      redirect_uri: REDIRECT,
      client_id: 'tray-app',
      code_verifier: verifier,
    });
    const refresh1 = String(first.json.refresh_token);
    expect(refresh1.length).toBeGreaterThan(20);
    const second = await token({
      grant_type: 'refresh_token',
      refresh_token: refresh1,
      client_id: 'tray-app',
    });
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(refresh1);
    expect(second.json.access_token).not.toBe(first.json.access_token);
    const replay = await token({
      grant_type: 'refresh_token',
      refresh_token: refresh1,
      client_id: 'tray-app',
    });
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    // The SDK's refresh helper (HTTP Basic client authentication) accepts the rotated token.
    const auth = await sdk.ApiClient.refreshCodeAuthorizationGrant(
      'tray-app',
      'unused',
      String(second.json.refresh_token),
    );
    expect(auth.accessToken).toBeTruthy();
    const otherClient = await token({
      grant_type: 'refresh_token',
      refresh_token: String(second.json.refresh_token),
      client_id: 'someone-else',
    });
    expect(otherClient.status).toBe(400);

    sim.control.setRefreshTokens(false);
    const p = pkce();
    const noRefresh = await token({
      grant_type: 'authorization_code',
      code: await codeFor(p.challenge),
      redirect_uri: REDIRECT,
      client_id: 'tray-app',
      code_verifier: p.verifier,
    });
    expect(noRefresh.status).toBe(200);
    expect(noRefresh.json.refresh_token).toBeUndefined();
  });

  it('rejects unsupported grants and non-form bodies', async () => {
    expect(await token({ grant_type: 'password', client_id: 'x' })).toMatchObject({
      status: 400,
      json: { error: 'unsupported_grant_type' },
    });
    const json = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const get = await call(sim, 'GET', '/oauth/token');
    expect(get.status).toBe(405);
  });
});

describe('client credentials', () => {
  it('issues a token without a user that /users/me-style endpoints refuse', async () => {
    const auth = await sdk.ApiClient.loginClientCredentialsGrant('service-client', 'secret');
    expect(auth.accessToken).toBeTruthy();
    const users = new sdk.UsersApi();
    const err = await rejection(users.getUsersMe());
    expect(err).toMatchObject({ status: 400, code: 'requires.user.context' });
    expect(await rejection(users.getUsersChatsMe())).toMatchObject({ status: 400 });
    expect(await rejection(new sdk.ChatApi().getChatsUsersMeSettings())).toMatchObject({ status: 400 });
    const other = await users.getUser(sim.demoUser.id);
    expect(other.name).toBe(sim.demoUser.name);
    const noSecret = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(noSecret.status).toBe(401);
    expect(await noSecret.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('token lifetime', () => {
  it('gives 401 for missing, expired, revoked and signed-out tokens', async () => {
    const missing = await call(sim, 'GET', '/api/v2/users/me');
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ status: 401, code: 'authentication.required' });
    const bogus = await call(sim, 'GET', '/api/v2/users/me', { token: 'nope' });
    expect(bogus.json).toMatchObject({ status: 401, code: 'bad.credentials' });

    const expiring = sim.control.actAs(sim.demoUser.email).accessToken;
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: expiring })).status).toBe(200);
    sim.control.expireTokens(sim.demoUser.id);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: expiring })).status).toBe(401);

    const revoked = sim.control.actAs(sim.demoUser.id).accessToken;
    sim.control.revokeTokens();
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: revoked })).status).toBe(401);

    const signedOut = sim.control.actAs(sim.demoUser.id).accessToken;
    expect((await call(sim, 'DELETE', '/api/v2/tokens/me', { token: signedOut })).status).toBe(204);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: signedOut })).status).toBe(401);
  });

  it('expires tokens after their lifetime', async () => {
    const short = sim.control.actAs(sim.demoUser.id, { lifetimeSeconds: 1 });
    expect(short.expiresIn).toBe(1);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: short.accessToken })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: short.accessToken })).status).toBe(401);
  });
});

describe('allowed client ids', () => {
  it('refuses unknown clients at authorize (400 page) and token (401)', async () => {
    const strict = await startTestSimulator({ allowedClientIds: ['only-me'] });
    try {
      const res = await fetch(
        `${strict.url}/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: 'intruder',
          redirect_uri: REDIRECT,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }).toString()}`,
        { redirect: 'manual' },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const tok = await fetch(`${strict.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from('intruder:secret').toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(tok.status).toBe(401);
      const okTok = await fetch(`${strict.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from('only-me:secret').toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(okTok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
