// Nothing secret survives into a log line.
import { describe, expect, it } from 'vitest';
import { redactArgs, redactSecrets } from '../../../src/main/log/redact.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln-_~+/=';

describe('log redaction', () => {
  it.each([
    [`Authorization: Bearer ${TOKEN}`, 'Authorization: Bearer [redacted]'],
    [
      `POST /oauth/token grant_type=refresh_token&refresh_token=${TOKEN}&client_id=abc`,
      'POST /oauth/token grant_type=refresh_token&refresh_token=[redacted]&client_id=abc',
    ],
    [`GET /cb?code=s3cr3t&state=xyz`, 'GET /cb?code=[redacted]&state=xyz'],
    [`code_verifier=${TOKEN}`, 'code_verifier=[redacted]'],
    [`{"access_token":"${TOKEN}","expires_in":3600}`, '{"access_token":"[redacted]","expires_in":3600}'],
    [
      `{"accessToken":"${TOKEN}","refreshToken":"${TOKEN}"}`,
      '{"accessToken":"[redacted]","refreshToken":"[redacted]"}',
    ],
    ['Proxy-Authorization: Basic YWxleDpjMlZqY21WMA==', 'Proxy-Authorization: Basic [redacted]'],
    [
      'HTTPS_PROXY=http://alex:c2VjcmV0@proxy.corp:3128 ignored',
      'HTTPS_PROXY=http://[redacted]@proxy.corp:3128 ignored',
    ],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(redactSecrets(input)).not.toContain('c2VjcmV0');
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('watch: state push; GET /api/v2/users/chats/me 200')).toBe(
      'watch: state push; GET /api/v2/users/chats/me 200',
    );
    const proxyLine =
      'net: The proxy at proxy.corp:3128 cannot be reached (ECONNREFUSED) for https://api.x:443/a';
    expect(redactSecrets(proxyLine)).toBe(proxyLine);
  });

  it('redacts inside objects and errors passed to the logger', () => {
    const err = new Error(`refresh failed for refresh_token=${TOKEN}`);
    const out = redactArgs(['x', { headers: { Authorization: `Bearer ${TOKEN}` } }, err, 42]);
    expect(JSON.stringify(out)).not.toContain('c2VjcmV0');
    expect(out[3]).toBe(42);
  });
});
