// Which certificate authorities the app trusts for Genesys Cloud: Node's bundle, the OS store
// (where a company installs the CA of its TLS-inspecting proxy) and NODE_EXTRA_CA_CERTS. Node 22.15+
// reads the OS store with `tls.getCACertificates('system')` (Windows and macOS stores; on Linux
// OpenSSL's default file and folder, which SSL_CERT_FILE / SSL_CERT_DIR override). One TLS context
// is built once and shared by every connection the network makes, so it is parsed once.
import tls from 'node:tls';

export interface TrustReport {
  /** Certificates from Node's bundle and NODE_EXTRA_CA_CERTS (and the OS, under --use-system-ca). */
  defaults: number;
  /** Certificates read from the OS store, or why none could be. */
  system: number | { unavailable: string };
}

export interface Trust {
  /** The shared context; undefined when this Node cannot list certificates (it then uses its defaults). */
  secureContext: tls.SecureContext | undefined;
  report: TrustReport;
}

type CertificateKind = 'default' | 'system';
type CertificateLister = (kind: CertificateKind) => string[];

let cached: Trust | null = null;

/** The process's trust, built on first use. */
export function companyTrust(): Trust {
  cached ??= buildTrust(listerOfThisNode());
  return cached;
}

/** Builds the trust from a certificate lister (tests pass their own). */
export function buildTrust(list: CertificateLister | null): Trust {
  if (!list) {
    return {
      secureContext: undefined,
      report: { defaults: 0, system: { unavailable: 'this Node cannot list certificates' } },
    };
  }
  const defaults = list('default');
  let system: string[] = [];
  let systemReport: TrustReport['system'];
  try {
    system = list('system');
    systemReport = system.length;
  } catch (err) {
    systemReport = { unavailable: err instanceof Error ? err.message.slice(0, 200) : String(err) };
  }
  const ca = [...new Set([...defaults, ...system])];
  return {
    secureContext: tls.createSecureContext({ ca }),
    report: { defaults: defaults.length, system: systemReport },
  };
}

function listerOfThisNode(): CertificateLister | null {
  const get = (tls as { getCACertificates?: (kind: CertificateKind) => string[] }).getCACertificates;
  return typeof get === 'function' ? (kind) => get(kind) : null;
}
