// Only plain web links leave the app.
import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../../src/main/ipc/links.ts';

describe('external links', () => {
  it('passes http(s) links through, normalised', () => {
    expect(checkExternalUrl('https://example.com/a@b?c=d@e')).toBe('https://example.com/a@b?c=d@e');
    expect(checkExternalUrl('https://Example.com/a b'.replace(' ', '%20'))).toBe('https://example.com/a%20b');
    expect(checkExternalUrl('http://intranet.local:8080/x?y=1#z')).toBe('http://intranet.local:8080/x?y=1#z');
  });

  it.each([
    ['javascript:alert(1)', /web links/],
    ['JaVaScRiPt:alert(1)', /web links/],
    ['data:text/html,<script>alert(1)</script>', /web links/],
    ['file:///etc/passwd', /web links/],
    ['vbscript:msgbox', /web links/],
    ['ms-settings:privacy', /web links/],
    ['https://user:secret@example.com/', /user name or password/],
    ['https://user@example.com/', /user name or password/],
    ['https://@example.com/', /user name or password/],
    ['https://login.mypurecloud.com@evil.example/', /user name or password/],
    ['https://example.com/\u202Etxt.exe', /characters/],
    ['https://example.com/\u2066x', /characters/],
    ['https://exa mple.com/', /characters/],
    ['https://example.com/\u0000', /characters/],
    ['//example.com', /not a web address/],
    ['', /not a web address/],
  ])('refuses %s', (url, reason) => {
    expect(() => checkExternalUrl(url)).toThrow(reason);
  });
});
