// Which certificate authorities the app trusts for Genesys Cloud: Node's bundle, the OS store
// (where a company installs the CA of its TLS-inspecting proxy) and NODE_EXTRA_CA_CERTS. Node reads
// the OS store with `tls.getCACertificates('system')` (22.15+; the Windows and macOS stores, on Linux
// OpenSSL's default file and folder, which SSL_CERT_FILE / SSL_CERT_DIR override), and makes them
// the process's default with `tls.setDefaultCACertificates` (22.19+, and Electron 45's Node 24), as
// `--use-system-ca` would: then Node's own fetch and WebSocket need nothing more. Where that setter
// is missing, one TLS context is built for the network's own connections instead. Built once, on
// the first connection that leaves this computer.
import tls from 'node:tls';
import { errorText } from '../../shared/errors.ts';

export interface TrustReport {
  /** Certificates from Node's bundle and NODE_EXTRA_CA_CERTS (and the OS, under --use-system-ca). */
  defaults: number;
  /** Certificates read from the OS store, or why none could be. */
  system: number | { unavailable: string };
  /** How they are applied: as the process's default, through the network's own context, or not. */
  applied: 'process-default' | 'network-context' | 'node-defaults-only';
}

export interface Trust {
  /** The context for the network's own TLS connections when the default could not be set. */
  secureContext: tls.SecureContext | undefined;
  report: TrustReport;
}

type CertificateKind = 'default' | 'system';

/** What the trust needs of Node's tls module (tests pass their own). */
export interface CertificateApi {
  list: ((kind: CertificateKind) => string[]) | null;
  setDefault: ((certs: string[]) => void) | null;
}

let cached: Trust | null = null;

/** The process's trust, built and applied on first use. */
export function companyTrust(): Trust {
  cached ??= buildTrust(apiOfThisNode());
  return cached;
}

export function buildTrust(api: CertificateApi): Trust {
  if (!api.list) {
    const unavailable = 'this Node cannot list certificates';
    return {
      secureContext: undefined,
      report: { defaults: 0, system: { unavailable }, applied: 'node-defaults-only' },
    };
  }
  const defaults = api.list('default');
  let system: string[] = [];
  let systemReport: TrustReport['system'];
  try {
    system = api.list('system');
    systemReport = system.length;
  } catch (err) {
    systemReport = { unavailable: errorText(err).slice(0, 200) };
  }
  const ca = [...new Set([...defaults, ...system])];
  if (api.setDefault) {
    try {
      api.setDefault(ca);
      return {
        secureContext: undefined,
        report: { defaults: defaults.length, system: systemReport, applied: 'process-default' },
      };
    } catch {
      // an unparsable certificate in the OS store: fall back to the network's own context
    }
  }
  try {
    return {
      secureContext: tls.createSecureContext({ ca }),
      report: { defaults: defaults.length, system: systemReport, applied: 'network-context' },
    };
  } catch (err) {
    const unavailable = `unreadable: ${errorText(err).slice(0, 200)}`;
    return {
      secureContext: undefined,
      report: { defaults: defaults.length, system: { unavailable }, applied: 'node-defaults-only' },
    };
  }
}

function apiOfThisNode(): CertificateApi {
  const t = tls as {
    getCACertificates?: (kind: CertificateKind) => string[];
    setDefaultCACertificates?: (certs: string[]) => void;
  };
  return {
    list: typeof t.getCACertificates === 'function' ? (kind) => t.getCACertificates!(kind) : null,
    setDefault:
      typeof t.setDefaultCACertificates === 'function' ? (c) => t.setDefaultCACertificates!(c) : null,
  };
}
