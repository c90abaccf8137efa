// The pure parts of the network: PAC/Chromium proxy lists, the loopback rule, proxy addresses from
// Settings, Proxy-Authenticate challenges, the certificate authorities trusted, and failures in words.
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  challengeSchemes,
  basicRealm,
  describeFailure,
  ProxyRefusal,
} from '../../../src/main/net/failure.ts';
import { isLoopbackHost, parseProxyList, routeLabel, type Route } from '../../../src/main/net/route.ts';
import { buildTrust } from '../../../src/main/net/trust.ts';
import { ProxySettingSchema } from '../../../src/shared/proxy.ts';

const proxyRoute: Route = { kind: 'proxy', scheme: 'http', host: 'proxy.corp', port: 8080 };
const target = new URL('https://api.mypurecloud.ie/api/v2/users/me');

describe('proxy lists', () => {
  it('keeps the order of a PAC answer and its DIRECT fallback', () => {
    const list = parseProxyList('PROXY a.corp:3128; proxy b.corp:8080;  DIRECT');
    expect(list.routes.map(routeLabel)).toEqual(['PROXY a.corp:3128', 'PROXY b.corp:8080', 'DIRECT']);
    expect(list.unsupported).toEqual([]);
  });

  it('reads HTTPS proxies and IPv6 addresses, and an empty answer as DIRECT', () => {
    expect(parseProxyList('HTTPS secure.corp:443; PROXY [fd00::1]:8080').routes.map(routeLabel)).toEqual([
      'HTTPS secure.corp:443',
      'PROXY [fd00::1]:8080',
    ]);
    expect(parseProxyList('').routes).toEqual([{ kind: 'direct' }]);
  });

  it('reports what it cannot use instead of dropping it', () => {
    const list = parseProxyList('SOCKS5 s.corp:1080; QUIC q.corp:443; PROXY bad; PROXY p.corp:99999; DIRECT');
    expect(list.routes.map(routeLabel)).toEqual(['DIRECT']);
    expect(list.unsupported).toEqual([
      'SOCKS5 s.corp:1080',
      'QUIC q.corp:443',
      'PROXY bad',
      'PROXY p.corp:99999',
    ]);
  });

  it('treats localhost, 127/8 and ::1 as loopback, and nothing else', () => {
    for (const h of ['localhost', 'app.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['api.mypurecloud.ie', '10.0.0.1', '128.0.0.1', 'localhost.evil.com', '[fd00::1]'])
      expect(isLoopbackHost(h)).toBe(false);
  });

  it('accepts host:port in Settings, or nothing, and refuses the rest with the expected form', () => {
    for (const ok of ['', 'proxy.corp:8080', '10.1.2.3:3128', '[fd00::1]:8080', ' proxy.corp:80 '])
      expect(ProxySettingSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      'proxy.corp',
      'http://proxy.corp:8080',
      'user:pw@proxy:80',
      'proxy:0',
      'proxy:70000',
      'a b:80',
    ]) {
      const r = ProxySettingSchema.safeParse(bad);
      expect(r.success).toBe(false);
    }
    expect(ProxySettingSchema.safeParse('proxy.corp').error?.issues.map((i) => i.message)).toContain(
      'Enter the proxy as host:port, like proxy.example.com:8080.',
    );
  });
});

describe('proxy sign-in challenges', () => {
  it('lists the schemes offered, past quoted commas', () => {
    expect(challengeSchemes(['Negotiate, NTLM', 'Basic realm="corp, inc", charset="UTF-8"'])).toEqual([
      'negotiate',
      'ntlm',
      'basic',
    ]);
    expect(challengeSchemes(['Negotiate abc==', 'Kerberos'])).toEqual(['negotiate', 'kerberos']);
    expect(basicRealm(['NTLM', 'Basic charset="UTF-8", realm="Corp \\"West\\""'])).toBe('Corp "West"');
  });

  it('says a Basic challenge asks for a password and a Windows-only one cannot be answered', () => {
    const basic = describeFailure(new ProxyRefusal(407, ['Basic realm="x"']), proxyRoute, target, false);
    expect(basic.kind).toBe('proxy-auth');
    const windows = describeFailure(new ProxyRefusal(407, ['NTLM']), proxyRoute, target, false);
    expect(windows.kind).toBe('proxy-auth-unsupported');
    expect(windows.message).toContain('asks for NTLM sign-in, which the app cannot do');
    expect(windows.message).toContain('api.mypurecloud.ie');
    // Credentials sent and answered 401 (tinyproxy's way): refused credentials, not another server's 401.
    expect(describeFailure(new ProxyRefusal(401, []), proxyRoute, target, true).kind).toBe('proxy-auth');
    expect(describeFailure(new ProxyRefusal(401, []), proxyRoute, target, false).kind).toBe('proxy-refused');
  });
});

describe('failures in words', () => {
  const withCode = (code: string): Error =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

  it('names the authority problem of a TLS-inspecting proxy, with the host', () => {
    for (const code of [
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      const f = describeFailure(withCode(code), { kind: 'direct' }, target, false);
      expect(f.message).toBe(
        "The certificate of api.mypurecloud.ie is signed by an authority this computer does not trust (your company's proxy?).",
      );
      expect(f.transient).toBe(false);
    }
    expect(describeFailure(withCode('CERT_HAS_EXPIRED'), { kind: 'direct' }, target, false).message).toBe(
      'The certificate of api.mypurecloud.ie is not valid for it (CERT_HAS_EXPIRED).',
    );
  });

  it('blames the proxy for a connection that never opened through it, the host when direct', () => {
    expect(describeFailure(withCode('ECONNREFUSED'), proxyRoute, target, false).message).toBe(
      'The proxy at proxy.corp:8080 cannot be reached (ECONNREFUSED).',
    );
    const direct = describeFailure(withCode('ENOTFOUND'), { kind: 'direct' }, target, false);
    expect(direct.message).toBe('api.mypurecloud.ie cannot be reached (ENOTFOUND).');
    expect(direct.transient).toBe(true);
  });
});

describe('trusted certificate authorities', () => {
  const [a, b, c] = tls.rootCertificates;
  const lists = { default: [a!, b!], system: [b!, c!] };

  it("adds the OS store to Node's bundle and NODE_EXTRA_CA_CERTS, once each, as the process's default", () => {
    let set: string[] = [];
    const trust = buildTrust({ list: (kind) => lists[kind], setDefault: (certs) => (set = certs) });
    expect(set).toEqual([a, b, c]);
    expect(trust.secureContext).toBeUndefined();
    expect(trust.report).toEqual({ defaults: 2, system: 2, applied: 'process-default' });
  });

  it('builds its own context where Node cannot set the default', () => {
    const trust = buildTrust({ list: (kind) => lists[kind], setDefault: null });
    expect(trust.secureContext).toBeDefined();
    expect(trust.report.applied).toBe('network-context');
  });

  it('keeps working, and says so, when the OS store cannot be read', () => {
    const trust = buildTrust({
      list: (kind) => {
        if (kind === 'system') throw new Error('no store here');
        return [a!];
      },
      setDefault: null,
    });
    expect(trust.secureContext).toBeDefined();
    expect(trust.report.system).toEqual({ unavailable: 'no store here' });
    expect(buildTrust({ list: null, setDefault: null }).report.applied).toBe('node-defaults-only');
  });
});
