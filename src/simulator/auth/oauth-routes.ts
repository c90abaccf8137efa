// The login host's OAuth endpoints: /oauth/authorize (PKCE, auto-approved) and /oauth/token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCore } from '../context.ts';
import { ApiError } from '../http/errors.ts';
import { mediaType, readBody } from '../http/body.ts';
import { sendHtml, sendJson } from '../http/respond.ts';
import { isLoopbackRedirect, withQuery } from './loopback.ts';
import type { IssuedTokens } from './tokens.ts';
import { s256, safeEqual } from './tokens.ts';

const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

class OAuthError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

function clientAllowed(core: SimCore, clientId: string): boolean {
  return core.options.allowedClientIds === null || core.options.allowedClientIds.includes(clientId);
}

/**
 * GET /oauth/authorize. There is no login form: the request is approved at once for the user named
 * by `login_hint` (id or email) or the default demo user, with a 302 to `redirect_uri` carrying
 * `code` and `state`. A missing or non-loopback redirect URI, or an unknown client, is a 400 page
 * (never a redirect); other problems redirect with `error`, `error_description` and `state`.
 */
export function handleAuthorize(core: SimCore, res: ServerResponse, query: URLSearchParams): void {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  const state = query.get('state') ?? undefined;
  if (!clientId) return sendHtml(res, 400, 'Invalid request', 'The client_id parameter is missing.');
  if (!clientAllowed(core, clientId))
    return sendHtml(res, 400, 'Invalid client', 'This OAuth client is unknown.');
  if (!redirectUri || !isLoopbackRedirect(redirectUri)) {
    return sendHtml(
      res,
      400,
      'Invalid redirect URI',
      'The redirect_uri must be a loopback address: http://127.0.0.1:<port>/... or http://localhost:<port>/...',
    );
  }
  const fail = (error: string, description: string): void => {
    res.writeHead(302, {
      Location: withQuery(redirectUri, { error, error_description: description, state }),
    });
    res.end();
  };
  if (query.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 'response_type must be code');
  }
  const challenge = query.get('code_challenge') ?? '';
  if (!PKCE_VALUE.test(challenge)) return fail('invalid_request', 'code_challenge is missing or malformed');
  if (query.get('code_challenge_method') !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256');
  }
  const hint = query.get('login_hint');
  const user = hint ? core.store.findUser(hint) : core.store.user(core.demoUserId);
  if (!user) return fail('access_denied', `No demo user matches login_hint '${hint}'`);
  const code = core.tokens.createCode({ clientId, redirectUri, codeChallenge: challenge, userId: user.id });
  res.writeHead(302, { Location: withQuery(redirectUri, { code, state }) });
  res.end();
}

interface ClientAuth {
  clientId: string;
  secret: string | undefined;
  basic: boolean;
}

function clientAuth(req: IncomingMessage, form: URLSearchParams): ClientAuth | null {
  const header = req.headers.authorization;
  if (header && /^basic\s+/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw new OAuthError(401, 'invalid_client', 'Malformed HTTP Basic credentials');
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const clientId = decode(decoded.slice(0, colon));
    const formClient = form.get('client_id');
    if (formClient && formClient !== clientId) {
      throw new OAuthError(400, 'invalid_request', 'client_id does not match the HTTP Basic credentials');
    }
    return { clientId, secret: decode(decoded.slice(colon + 1)), basic: true };
  }
  const clientId = form.get('client_id');
  if (!clientId) return null;
  return { clientId, secret: form.get('client_secret') ?? undefined, basic: false };
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError(400, 'invalid_request', `Missing required parameter '${name}'`);
  return value;
}

function tokenResponse(issued: IssuedTokens): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: issued.accessToken.token,
    token_type: 'bearer',
    expires_in: Math.round((issued.accessToken.expiresMs - issued.accessToken.issuedMs) / 1000),
  };
  if (issued.refreshToken) body.refresh_token = issued.refreshToken;
  return body;
}

function exchange(core: SimCore, req: IncomingMessage, form: URLSearchParams): Record<string, unknown> {
  const grant = required(form, 'grant_type');
  const client = clientAuth(req, form);
  if (client && !clientAllowed(core, client.clientId)) {
    throw new OAuthError(401, 'invalid_client', 'Unknown OAuth client');
  }
  switch (grant) {
    case 'authorization_code': {
      if (!client) throw new OAuthError(400, 'invalid_request', "Missing required parameter 'client_id'");
      const code = required(form, 'code');
      // Compared exactly with the authorize call's below: a missing one is a mismatch too.
      const redirectUri = form.get('redirect_uri');
      const verifier = required(form, 'code_verifier');
      if (!PKCE_VALUE.test(verifier))
        throw new OAuthError(400, 'invalid_request', 'code_verifier is malformed');
      const record = core.tokens.redeemCode(code);
      if (typeof record === 'string') {
        throw new OAuthError(
          400,
          'invalid_grant',
          `The authorization code is ${record === 'unknown' ? 'invalid' : record}`,
        );
      }
      if (record.clientId !== client.clientId) {
        throw new OAuthError(400, 'invalid_grant', 'The authorization code was issued to another client');
      }
      if (record.redirectUri !== redirectUri) {
        throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      }
      if (!safeEqual(s256(verifier), record.codeChallenge)) {
        throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed: code_verifier does not match');
      }
      return tokenResponse(
        core.tokens.issue(record.userId, client.clientId, { refresh: core.options.issueRefreshTokens }),
      );
    }
    case 'refresh_token': {
      if (!client) throw new OAuthError(400, 'invalid_request', "Missing required parameter 'client_id'");
      const rotated = core.tokens.rotate(required(form, 'refresh_token'), client.clientId);
      if (rotated === 'invalid')
        throw new OAuthError(400, 'invalid_grant', 'The refresh token is invalid or expired');
      return tokenResponse(rotated);
    }
    case 'client_credentials': {
      if (!client || !client.secret) {
        throw new OAuthError(401, 'invalid_client', 'Client authentication (HTTP Basic) is required');
      }
      return tokenResponse(core.tokens.issue(null, client.clientId, { refresh: false }));
    }
    default:
      throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type '${grant.slice(0, 60)}'`);
  }
}

/** POST /oauth/token (application/x-www-form-urlencoded). Errors are `{ error, error_description }`. */
export async function handleToken(core: SimCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  try {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof ApiError) throw new OAuthError(err.status, 'invalid_request', err.message);
      throw err;
    }
    const type = mediaType(req);
    if (type !== undefined && type !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(raw.toString('utf8'));
    sendJson(res, 200, exchange(core, req, form), headers);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    const extra: Record<string, string> =
      err.status === 401 ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {};
    sendJson(res, err.status, { error: err.error, error_description: err.message }, { ...headers, ...extra });
  }
}
