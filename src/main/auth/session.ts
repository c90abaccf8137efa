// The signed-in session: holds the tokens (persisted only through the SecretStore, i.e. the OS
// keyring), runs the PKCE sign-in in the system browser, refreshes before expiry when a refresh
// token exists, and otherwise moves to "needs sign-in" without touching anything else the app keeps.
import type { Environment } from '../genesys/environment.ts';
import type { SecretStore } from './secret-store.ts';
import { listenForRedirect, SignInError } from './loopback.ts';
import {
  buildAuthorizeUrl,
  exchangeCode,
  OAuthError,
  refreshTokens,
  TokenSetSchema,
  type FetchLike,
  type TokenSet,
} from './oauth.ts';
import { createPkcePair, createState } from './pkce.ts';
import { errorText } from '../../shared/errors.ts';

export type SessionState = 'signed-out' | 'signed-in' | 'needs-sign-in';

export class NeedsSignInError extends Error {
  constructor(message = 'Sign in again to continue.') {
    super(message);
  }
}

export interface SessionOptions {
  env: Environment;
  clientId: string;
  secrets: SecretStore;
  /** Opens the authorize URL: the system browser in the app, a direct HTTP walk for the simulator. */
  openBrowser(url: string): Promise<void>;
  loopbackPort: number;
  loginHint?: string;
  signInTimeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
  log?: (message: string) => void;
}

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export class AuthSession {
  private tokens: TokenSet | null = null;
  private current: SessionState = 'signed-out';
  private refreshing: Promise<TokenSet> | null = null;
  private readonly listeners = new Set<(s: SessionState) => void>();
  private readonly opts: SessionOptions;
  private readonly now: () => number;

  constructor(opts: SessionOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  get state(): SessionState {
    return this.current;
  }

  /** The keyring account under which this environment's and client's tokens are kept. */
  get account(): string {
    return `tokens:${this.opts.env.id}:${this.opts.clientId}`;
  }

  onState(listener: (s: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads tokens kept from an earlier run. Unreadable secrets count as signed out. */
  async restore(): Promise<SessionState> {
    const raw = await this.opts.secrets.get(this.account);
    if (!raw) return this.setState('signed-out');
    let parsed: TokenSet | null = null;
    try {
      const result = TokenSetSchema.safeParse(JSON.parse(raw));
      if (result.success) parsed = result.data;
    } catch {
      parsed = null;
    }
    if (!parsed) {
      this.log('stored tokens were unreadable; signing in again is needed');
      await this.opts.secrets.delete(this.account);
      return this.setState('needs-sign-in');
    }
    this.tokens = parsed;
    if (parsed.expiresAt - REFRESH_MARGIN_MS > this.now()) return this.setState('signed-in');
    if (!parsed.refreshToken) return this.setState('needs-sign-in');
    try {
      await this.refresh();
      return this.current;
    } catch (err) {
      if (err instanceof NeedsSignInError) return this.current;
      // A network failure at start: keep the tokens, the next call retries the refresh.
      return this.setState('signed-in');
    }
  }

  /** Runs the whole browser sign-in. */
  async signIn(signal?: AbortSignal): Promise<void> {
    const pkce = createPkcePair();
    const state = createState();
    const listener = await listenForRedirect({
      port: this.opts.loopbackPort,
      state,
      timeoutMs: this.opts.signInTimeoutMs ?? 5 * 60_000,
      ...(signal ? { signal } : {}),
    });
    try {
      const url = buildAuthorizeUrl(this.opts.env, {
        clientId: this.opts.clientId,
        redirectUri: listener.redirectUri,
        challenge: pkce.challenge,
        state,
        ...(this.opts.loginHint ? { loginHint: this.opts.loginHint } : {}),
      });
      await this.opts.openBrowser(url);
      const code = await listener.code;
      const tokens = await exchangeCode(
        this.opts.env,
        { clientId: this.opts.clientId, code, redirectUri: listener.redirectUri, verifier: pkce.verifier },
        this.opts.fetch,
        this.now,
      );
      await this.keep(tokens);
      this.setState('signed-in');
      this.log('signed in');
    } catch (err) {
      listener.close();
      if (err instanceof SignInError || err instanceof OAuthError) throw err;
      throw new SignInError('failed', `Sign-in failed: ${errorText(err)}`);
    }
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.tokens || this.current === 'needs-sign-in') throw new NeedsSignInError();
    if (this.tokens.expiresAt - REFRESH_MARGIN_MS <= this.now()) {
      return (await this.refresh()).accessToken;
    }
    return this.tokens.accessToken;
  }

  /** Called when the API answered 401 to `token`: refresh once if possible, else sign in again. */
  async unauthorized(token: string): Promise<void> {
    if (!this.tokens || this.tokens.accessToken !== token) return; // already replaced
    if (!this.tokens.refreshToken) {
      this.setState('needs-sign-in');
      throw new NeedsSignInError('Your Genesys Cloud session ended. Sign in again.');
    }
    await this.refresh();
  }

  /** Forgets the tokens everywhere; the server-side revoke is best effort. */
  async signOut(revoke?: (token: string) => Promise<void>): Promise<void> {
    const token = this.tokens?.accessToken;
    this.tokens = null;
    await this.opts.secrets.delete(this.account);
    this.setState('signed-out');
    if (token && revoke) await revoke(token).catch((err) => this.log(`token revoke failed: ${String(err)}`));
  }

  private refresh(): Promise<TokenSet> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<TokenSet> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) {
      this.setState('needs-sign-in');
      throw new NeedsSignInError('Your Genesys Cloud session expired. Sign in again.');
    }
    try {
      const next = await refreshTokens(
        this.opts.env,
        { clientId: this.opts.clientId, refreshToken },
        this.opts.fetch,
        this.now,
      );
      // Keep the old refresh token when the server does not rotate it.
      const merged: TokenSet = { ...next, refreshToken: next.refreshToken ?? refreshToken };
      await this.keep(merged);
      this.setState('signed-in');
      return merged;
    } catch (err) {
      if (err instanceof OAuthError && (err.kind === 'invalid-grant' || err.kind === 'invalid-client')) {
        this.tokens = null;
        await this.opts.secrets.delete(this.account);
        this.setState('needs-sign-in');
        throw new NeedsSignInError('Your Genesys Cloud session ended. Sign in again.');
      }
      throw err;
    }
  }

  private async keep(tokens: TokenSet): Promise<void> {
    this.tokens = tokens;
    await this.opts.secrets.set(this.account, JSON.stringify(tokens));
  }

  private setState(next: SessionState): SessionState {
    if (next !== this.current) {
      this.current = next;
      for (const l of this.listeners) l(next);
    }
    return next;
  }

  private log(message: string): void {
    this.opts.log?.(`auth: ${message}`);
  }
}
