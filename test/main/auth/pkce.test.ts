// PKCE must produce what Genesys checks: S256 of the verifier, base64url, no padding.
import { describe, expect, it } from 'vitest';
import { createPkcePair, createState, s256 } from '../../../src/main/auth/pkce.ts';

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh verifier of legal length and charset each time', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(a.challenge).toBe(s256(a.verifier));
    expect(createState()).not.toBe(createState());
  });
});
