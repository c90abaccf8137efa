// The OAuth calls of the desktop sign-in: the authorize URL (PKCE S256), the code exchange and
// the refresh. Token responses are validated before use; errors say what the user can do.
import { z } from 'zod';
import type { Environment } from '../genesys/environment.ts';
import { errorText } from '../../shared/errors.ts';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms at which the access token stops working. */
  expiresAt: number;
}

export const TokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.number().finite(),
});

const TokenResponseSchema = z.object({
  access_token: z.string().min(1).max(8192),
  token_type: z.string().nullish(),
  expires_in: z
    .number()
    .positive()
    .max(60 * 60 * 24 * 30),
  refresh_token: z.string().min(1).max(8192).nullish(),
});

export class OAuthError extends Error {
  /** invalid-grant: the code or refresh token is no good (sign in again); the others may pass. */
  readonly kind: 'invalid-grant' | 'invalid-client' | 'network' | 'server' | 'bad-response';
  constructor(kind: OAuthError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  challenge: string;
  state: string;
  loginHint?: string;
}

export function buildAuthorizeUrl(env: Environment, p: AuthorizeParams): string {
  const url = new URL(`${env.loginBase}/oauth/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('code_challenge', p.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', p.state);
  if (p.loginHint) url.searchParams.set('login_hint', p.loginHint);
  return url.href;
}

export type FetchLike = typeof fetch;

export function exchangeCode(
  env: Environment,
  p: { clientId: string; code: string; redirectUri: string; verifier: string },
  fetchImpl: FetchLike = fetch,
  now: () => number = Date.now,
): Promise<TokenSet> {
  return tokenRequest(
    env,
    {
      grant_type: 'authorization_code',
      code: p.code,
      redirect_uri: p.redirectUri,
      client_id: p.clientId,
      code_verifier: p.verifier,
    },
    fetchImpl,
    now,
  );
}

export function refreshTokens(
  env: Environment,
  p: { clientId: string; refreshToken: string },
  fetchImpl: FetchLike = fetch,
  now: () => number = Date.now,
): Promise<TokenSet> {
  return tokenRequest(
    env,
    { grant_type: 'refresh_token', refresh_token: p.refreshToken, client_id: p.clientId },
    fetchImpl,
    now,
  );
}

async function tokenRequest(
  env: Environment,
  form: Record<string, string>,
  fetchImpl: FetchLike,
  now: () => number,
): Promise<TokenSet> {
  let res: Response;
  try {
    res = await fetchImpl(`${env.loginBase}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    throw new OAuthError('network', `Could not reach Genesys Cloud to sign in: ${errorText(err)}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const body = safeJson(text) as { error?: unknown; error_description?: unknown; description?: unknown };
    const code = typeof body?.error === 'string' ? body.error : '';
    const detail = [body?.error_description, body?.description].find((d) => typeof d === 'string') as
      string | undefined;
    if (code === 'invalid_grant') {
      throw new OAuthError(
        'invalid-grant',
        `Your sign-in is no longer valid${detail ? ` (${detail})` : ''}.`,
      );
    }
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      throw new OAuthError(
        'invalid-client',
        `Genesys Cloud does not accept this OAuth client${detail ? ` (${detail})` : ''}: check its Client ID, ` +
          'grant type (Code Authorization with PKCE) and redirect URI.',
      );
    }
    throw new OAuthError(
      res.status >= 500 ? 'server' : 'bad-response',
      `Sign-in failed (HTTP ${res.status}).`,
    );
  }
  const parsed = TokenResponseSchema.safeParse(safeJson(text));
  if (!parsed.success)
    throw new OAuthError('bad-response', 'Genesys Cloud sent a token answer the app cannot read.');
  return {
    accessToken: parsed.data.access_token,
    ...(parsed.data.refresh_token ? { refreshToken: parsed.data.refresh_token } : {}),
    expiresAt: now() + parsed.data.expires_in * 1000,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
