// What the engine needs of the signed-in session (AuthSession implements it; tests may fake it).

export interface SessionPort {
  readonly state: 'signed-out' | 'signed-in' | 'needs-sign-in';
  restore(): Promise<'signed-out' | 'signed-in' | 'needs-sign-in'>;
  signIn(signal?: AbortSignal): Promise<void>;
  signOut(revoke?: (token: string) => Promise<void>): Promise<void>;
  accessToken(): Promise<string>;
  unauthorized(token: string): Promise<void>;
  onState(listener: (s: 'signed-out' | 'signed-in' | 'needs-sign-in') => void): () => void;
}
