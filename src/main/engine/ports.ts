// What the engine needs of the signed-in session (AuthSession implements it; tests may fake it), and
// of the network its connections go through (src/main/net/network.ts implements it).
import type { WebSocketLike } from './watch/types.ts';

export interface SessionPort {
  readonly state: 'signed-out' | 'signed-in' | 'needs-sign-in';
  restore(): Promise<'signed-out' | 'signed-in' | 'needs-sign-in'>;
  signIn(signal?: AbortSignal): Promise<void>;
  signOut(revoke?: (token: string) => Promise<void>): Promise<void>;
  accessToken(): Promise<string>;
  unauthorized(token: string): Promise<void>;
  onState(listener: (s: 'signed-out' | 'signed-in' | 'needs-sign-in') => void): () => void;
}

/** A proxy waiting for the user's name and password. */
export interface ProxySignInState {
  proxy: string;
  realm?: string;
  /** The last credentials were refused. */
  rejected: boolean;
}

/** Routes every connection (proxies, company certificates); absent: Node's own fetch and WebSocket. */
export interface NetworkPort {
  readonly fetch: typeof fetch;
  readonly WebSocket: new (url: string) => WebSocketLike;
  readonly proxySignIn: ProxySignInState | null;
  /** The last failure in words ("The proxy at … cannot be reached"), until a connection succeeds. */
  readonly lastProblem: string | null;
  onChange(listener: () => void): () => void;
}
