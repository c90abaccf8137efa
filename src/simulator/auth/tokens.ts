// Access tokens, refresh tokens and authorization codes: issue, look up, rotate, expire and revoke.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AccessTokenRecord {
  token: string;
  /** null for client-credentials tokens (no user). */
  userId: string | null;
  clientId: string;
  sessionId: string;
  issuedMs: number;
  expiresMs: number;
  revoked: boolean;
}

interface Session {
  id: string;
  userId: string | null;
  clientId: string;
  refreshToken: string | null;
  revoked: boolean;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  expiresMs: number;
  used: boolean;
}

export interface IssuedTokens {
  accessToken: AccessTokenRecord;
  refreshToken?: string;
}

export type TokenLookup =
  { ok: true; record: AccessTokenRecord } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

const CODE_LIFETIME_MS = 60_000;
const PRUNE_THRESHOLD = 5_000;

function secret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** base64url(SHA-256(verifier)), the S256 PKCE transform. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Issued secrets remembered for leak scans (`control.issuedSecrets()`), newest kept. */
const ISSUED_LOG_LIMIT = 10_000;

export class TokenStore {
  readonly #access = new Map<string, AccessTokenRecord>();
  readonly #issued = new Set<string>();
  readonly #sessions = new Map<string, Session>();
  readonly #refresh = new Map<string, Session>();
  readonly #codes = new Map<string, AuthCode>();
  lifetimeSeconds: number;
  /** Called with the tokens that stopped being valid early (revoked, or expired on request). */
  onInvalidated: (tokens: AccessTokenRecord[]) => void = () => {};

  constructor(lifetimeSeconds: number) {
    this.lifetimeSeconds = lifetimeSeconds;
  }

  // ---- authorization codes ------------------------------------------------------------------

  createCode(input: Omit<AuthCode, 'code' | 'expiresMs' | 'used'>): string {
    this.#prune();
    const code = secret(24);
    this.#codes.set(code, { ...input, code, expiresMs: Date.now() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  /** The code record, marked used. Returns a reason when it cannot be redeemed. */
  redeemCode(code: string): AuthCode | 'unknown' | 'used' | 'expired' {
    const record = this.#codes.get(code);
    if (!record) return 'unknown';
    if (record.used) return 'used';
    record.used = true;
    if (record.expiresMs <= Date.now()) return 'expired';
    return record;
  }

  // ---- access and refresh tokens ------------------------------------------------------------

  issue(
    userId: string | null,
    clientId: string,
    options: { refresh: boolean; lifetimeSeconds?: number },
  ): IssuedTokens {
    this.#prune();
    const session: Session = {
      id: secret(12),
      userId,
      clientId,
      refreshToken: options.refresh ? secret() : null,
      revoked: false,
    };
    this.#sessions.set(session.id, session);
    if (session.refreshToken) {
      this.#refresh.set(session.refreshToken, session);
      this.#remember(session.refreshToken);
    }
    const accessToken = this.#newAccess(session, options.lifetimeSeconds);
    return session.refreshToken ? { accessToken, refreshToken: session.refreshToken } : { accessToken };
  }

  #newAccess(session: Session, lifetimeSeconds = this.lifetimeSeconds): AccessTokenRecord {
    const now = Date.now();
    const record: AccessTokenRecord = {
      token: secret(),
      userId: session.userId,
      clientId: session.clientId,
      sessionId: session.id,
      issuedMs: now,
      expiresMs: now + lifetimeSeconds * 1000,
      revoked: false,
    };
    this.#access.set(record.token, record);
    this.#remember(record.token);
    return record;
  }

  /** Every access and refresh token issued (up to the last 10 000), for tests that scan for leaks. */
  issuedSecrets(): string[] {
    return [...this.#issued];
  }

  #remember(secretValue: string): void {
    this.#issued.add(secretValue);
    if (this.#issued.size > ISSUED_LOG_LIMIT) this.#issued.delete(this.#issued.values().next().value!);
  }

  /** Exchanges a refresh token: a new access token and a new refresh token; the old one stops working. */
  rotate(refreshToken: string, clientId: string): IssuedTokens | 'invalid' {
    const session = this.#refresh.get(refreshToken);
    if (!session || session.revoked || session.clientId !== clientId) return 'invalid';
    this.#refresh.delete(refreshToken);
    session.refreshToken = secret();
    this.#refresh.set(session.refreshToken, session);
    this.#remember(session.refreshToken);
    return { accessToken: this.#newAccess(session), refreshToken: session.refreshToken };
  }

  lookup(token: string): TokenLookup {
    const record = this.#access.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (record.expiresMs <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  isValid(token: string): boolean {
    return this.lookup(token).ok;
  }

  expiresMs(token: string): number {
    return this.#access.get(token)?.expiresMs ?? 0;
  }

  #matching(userId: string | undefined): AccessTokenRecord[] {
    const now = Date.now();
    return [...this.#access.values()].filter(
      (r) => !r.revoked && r.expiresMs > now && (userId === undefined || r.userId === userId),
    );
  }

  /** Expires live access tokens now (all, or a user's). Refresh tokens keep working. */
  expireAll(userId?: string): number {
    const hit = this.#matching(userId);
    const now = Date.now();
    for (const record of hit) record.expiresMs = now - 1;
    this.onInvalidated(hit);
    return hit.length;
  }

  /** Revokes access and refresh tokens (all, or a user's). */
  revokeAll(userId?: string): number {
    const hit = this.#matching(userId);
    for (const record of hit) record.revoked = true;
    for (const session of this.#sessions.values()) {
      if (userId === undefined || session.userId === userId) this.#revokeSession(session);
    }
    this.onInvalidated(hit);
    return hit.length;
  }

  /** Sign-out: revokes the token and the refresh token of its session. */
  revoke(token: string): void {
    const record = this.#access.get(token);
    if (!record) return;
    record.revoked = true;
    const session = this.#sessions.get(record.sessionId);
    if (session) this.#revokeSession(session);
    this.onInvalidated([record]);
  }

  #revokeSession(session: Session): void {
    session.revoked = true;
    if (session.refreshToken) this.#refresh.delete(session.refreshToken);
    session.refreshToken = null;
  }

  #prune(): void {
    if (this.#access.size + this.#codes.size < PRUNE_THRESHOLD) return;
    const cutoff = Date.now() - 3_600_000;
    for (const [token, record] of this.#access) {
      if (record.expiresMs < cutoff || record.revoked) this.#access.delete(token);
    }
    for (const [code, record] of this.#codes) {
      if (record.expiresMs < Date.now()) this.#codes.delete(code);
    }
  }
}
