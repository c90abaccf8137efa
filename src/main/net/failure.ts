// Why a connection failed, in words a user can act on, instead of "fetch failed": the proxy cannot
// be reached, refused the tunnel, wants a sign-in (and which kind), or the certificate of the host is
// signed by an authority this computer does not trust (a TLS-inspecting company proxy).
import { proxyAddress, type Route } from './route.ts';
import { errorText } from '../../shared/errors.ts';

export type FailureKind =
  | 'proxy-unreachable'
  | 'proxy-auth'
  | 'proxy-auth-unsupported'
  | 'proxy-refused'
  | 'proxy-unsupported'
  | 'untrusted-certificate'
  | 'bad-certificate'
  | 'unreachable';

export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  readonly kind: FailureKind;
  /** Worth retrying soon by itself (a network blip); false when something must change first. */
  readonly transient: boolean;
  /** The proxy involved (`host:port`), if any. */
  readonly proxy: string | undefined;
  constructor(
    kind: FailureKind,
    message: string,
    opts: { transient: boolean; proxy?: string; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.transient = opts.transient;
    this.proxy = opts.proxy;
  }
}

/** The proxy answered a CONNECT with something other than 200 (raised by the network's proxy client). */
export class ProxyRefusal extends Error {
  override readonly name = 'ProxyRefusal';
  readonly status: number;
  /** The `Proxy-Authenticate` challenges, as sent. */
  readonly challenges: string[];
  constructor(status: number, challenges: string[]) {
    super(`The proxy answered ${status} to the tunnel request.`);
    this.status = status;
    this.challenges = challenges;
  }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
]);
/** Failures to open a connection at all: through a proxy, the proxy is the one not reached. */
const CONNECT_FAILED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The error and its causes, outermost first (bounded). */
export function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
  }
  return out;
}

function codeOf(err: unknown): string {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
  }
  return '';
}

/** Puts a failed connection to `target` over `route` into words. */
export function describeFailure(
  err: unknown,
  route: Route,
  target: URL,
  credentialsSent: boolean,
): NetworkFailure {
  const existing = causes(err).find((e) => e instanceof NetworkFailure);
  if (existing) return existing as NetworkFailure;
  const refusal = causes(err).find((e) => e instanceof ProxyRefusal) as ProxyRefusal | undefined;
  const proxy = route.kind === 'proxy' ? proxyAddress(route) : undefined;
  if (refusal && proxy) return describeRefusal(refusal, proxy, target, credentialsSent, err);
  const code = codeOf(err);
  if (UNTRUSTED.has(code)) {
    return new NetworkFailure(
      'untrusted-certificate',
      `The certificate of ${target.hostname} is signed by an authority this computer does not trust ` +
        "(your company's proxy?).",
      { transient: false, cause: err, ...(proxy ? { proxy } : {}) },
    );
  }
  if (code.startsWith('CERT_') || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new NetworkFailure(
      'bad-certificate',
      `The certificate of ${target.hostname} is not valid for it (${code}).`,
      { transient: false, cause: err, ...(proxy ? { proxy } : {}) },
    );
  }
  if (proxy && CONNECT_FAILED.has(code)) {
    return new NetworkFailure('proxy-unreachable', `The proxy at ${proxy} cannot be reached (${code}).`, {
      transient: true,
      proxy,
      cause: err,
    });
  }
  const why = code || errorText(err).slice(0, 200);
  return new NetworkFailure(
    'unreachable',
    `${target.host} cannot be reached${proxy ? ` through the proxy at ${proxy}` : ''} (${why}).`,
    { transient: true, cause: err, ...(proxy ? { proxy } : {}) },
  );
}

function describeRefusal(
  refusal: ProxyRefusal,
  proxy: string,
  target: URL,
  credentialsSent: boolean,
  err: unknown,
): NetworkFailure {
  // Tinyproxy and others answer 401 to credentials they reject.
  const auth = refusal.status === 407 || (refusal.status === 401 && credentialsSent);
  if (!auth) {
    return new NetworkFailure(
      'proxy-refused',
      `The proxy at ${proxy} refused the connection to ${target.host} (${refusal.status}).`,
      { transient: false, proxy, cause: err },
    );
  }
  const schemes = challengeSchemes(refusal.challenges);
  if (schemes.length > 0 && !schemes.includes('basic')) {
    const named = schemes.map(schemeName).join(' or ');
    return new NetworkFailure(
      'proxy-auth-unsupported',
      `The proxy refused the connection (${refusal.status}): the proxy at ${proxy} asks for ${named} ` +
        `sign-in, which the app cannot do. Ask your IT team to let ${target.hostname} through without ` +
        'proxy sign-in, or for a proxy that accepts a user name and password (Basic).',
      { transient: false, proxy, cause: err },
    );
  }
  return new NetworkFailure(
    'proxy-auth',
    credentialsSent
      ? `The proxy refused the connection (${refusal.status}): the proxy at ${proxy} did not accept the user name and password.`
      : `The proxy refused the connection (${refusal.status}): the proxy at ${proxy} asks for a user name and password.`,
    { transient: false, proxy, cause: err },
  );
}

/**
 * The authentication schemes a `Proxy-Authenticate` header offers, lower case: "Negotiate, NTLM,
 * Basic realm=\"corp, inc\"" → negotiate, ntlm, basic. Quoted strings are skipped; linear time.
 */
export function challengeSchemes(challenges: string[]): string[] {
  const text = challenges.join(', ').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const schemes: string[] = [];
  for (const piece of text.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+|$)/.exec(piece);
    if (m && !schemes.includes(m[1]!.toLowerCase())) schemes.push(m[1]!.toLowerCase());
  }
  return schemes;
}

/** The realm of the Basic challenge, if one is given (bounded, for the sign-in form). */
export function basicRealm(challenges: string[]): string | undefined {
  for (const c of challenges) {
    const m = /^\s*basic\s+(?:.*?[\s,])?realm="((?:[^"\\]|\\.){0,200})"/i.exec(c);
    if (m) return m[1]!.replace(/\\(.)/g, '$1');
  }
  return undefined;
}

function schemeName(scheme: string): string {
  const names: Record<string, string> = {
    ntlm: 'NTLM',
    negotiate: 'Windows (Negotiate/Kerberos)',
    kerberos: 'Kerberos',
    digest: 'Digest',
  };
  return names[scheme] ?? scheme;
}
