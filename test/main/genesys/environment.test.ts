// Region and custom-environment resolution: every region of the reference, and only safe custom URLs.
import { describe, expect, it } from 'vitest';
import { REGIONS, resolveEnvironment } from '../../../src/main/genesys/environment.ts';

describe('environments', () => {
  it('knows every region of the reference, with api/login/streaming hosts', () => {
    expect(REGIONS).toHaveLength(18);
    const ie = resolveEnvironment('mypurecloud.ie');
    expect(ie).toMatchObject({
      apiBase: 'https://api.mypurecloud.ie',
      loginBase: 'https://login.mypurecloud.ie',
      streamingHosts: ['streaming.mypurecloud.ie'],
      custom: false,
    });
  });

  it('accepts the simulator on loopback and https gateways as custom environments', () => {
    expect(resolveEnvironment('http://127.0.0.1:4010/')).toMatchObject({
      apiBase: 'http://127.0.0.1:4010',
      loginBase: 'http://127.0.0.1:4010',
      custom: true,
    });
    expect(resolveEnvironment('https://gw.example.com/genesys').apiBase).toBe(
      'https://gw.example.com/genesys',
    );
  });

  it('refuses plain http off this machine, credentials in URLs, and nonsense', () => {
    expect(() => resolveEnvironment('http://gw.example.com')).toThrow(/https/);
    expect(() => resolveEnvironment('https://user:pw@gw.example.com')).toThrow(/credentials/);
    expect(() => resolveEnvironment('not a region')).toThrow(/neither a Genesys Cloud region/);
  });
});
