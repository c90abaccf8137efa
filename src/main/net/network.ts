// The one door to the network for everything that talks to Genesys Cloud (REST, the token endpoint,
// the notification WebSocket). Per URL it tries the routes route-planner.ts picks, in order, moving
// on only when a proxy cannot be reached (which then goes last for a while), signs in to a proxy
// with saved credentials, asks the user once when it has none, and says every failure in words.
import type { Environment } from '../genesys/environment.ts';
import type { SecretStore } from '../auth/secret-store.ts';
import type { WebSocketCtor } from '../engine/watch/types.ts';
import { basicRealm, describeFailure, type NetworkFailure, ProxyRefusal, causes } from './failure.ts';
import { directDispatcher, proxyDispatcher, type Credentials, type RouteDispatcher } from './dispatchers.ts';
import { ProxyCredentialStore } from './proxy-credentials.ts';
import { routedSocketClass, type RouteDriver } from './routed-socket.ts';
import { proxyAddress, routeLabel, type ProxyRoute, type Route } from './route.ts';
import { RoutePlanner, type RoutePlan } from './route-planner.ts';
import type { SystemProxyResolver } from './sources.ts';
import { companyTrust, type Trust, type TrustReport } from './trust.ts';
import { errorText } from '../../shared/errors.ts';

export interface NetworkOptions {
  /** The system's proxy list per URL (the app: Electron's `session.resolveProxy`). */
  system?: SystemProxyResolver;
  /** Follow HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the headless runner). Ignored when `system` is given. */
  environment?: boolean;
  /** A proxy from Settings (`host:port`); '' or absent: none. */
  explicit?: string;
  /** Where proxy credentials are kept (the OS keyring); without it they live only in memory. */
  secrets?: SecretStore;
  /**
   * Send loopback addresses through the proxy too (Chromium's `<-loopback>` bypass rule). Off in the
   * app: the demo org never goes through a proxy. Tests use it to put a real proxy before the simulator.
   */
  proxyLoopback?: boolean;
  trust?: Trust;
  log?: (message: string) => void;
  now?: () => number;
}

/** A proxy that wants the user's name and password (shown as a small form in the popup). */
export interface ProxySignInRequest {
  proxy: string;
  realm?: string;
  /** The last credentials were refused. */
  rejected: boolean;
}

/** What the network knows about one host, without credentials (for Diagnostics). */
export interface HostReport {
  host: string;
  source: RoutePlan['source'];
  /** The routes in effect, in order (`PROXY proxy.corp:8080`, `DIRECT`). */
  routes: string[];
  /** Proxies skipped for now because they could not be reached. */
  unreachable: string[];
  unsupported: string[];
  lastRoute?: string;
  lastProblem?: string;
}

export interface NetworkReport {
  hosts: HostReport[];
  certificates: TrustReport;
}

/** A plain-text local connection's trust: none needed (the OS store is read only when TLS is used). */
const NO_CERTIFICATES: Pick<Trust, 'secureContext'> = { secureContext: undefined };

export class Network implements RouteDriver {
  readonly fetch: typeof fetch;
  readonly WebSocket: WebSocketCtor;
  private readonly options: NetworkOptions;
  private trustValue: Trust | null = null;
  private readonly routes: RoutePlanner;
  private readonly store: ProxyCredentialStore;
  private readonly dispatchers = new Map<string, Promise<RouteDispatcher>>();
  /** Per proxy: credentials known (undefined: none), once the keyring was asked. */
  private readonly credentials = new Map<string, Credentials | undefined>();
  /** Proxies whose current credentials were refused: not sent again until new ones are given. */
  private readonly refused = new Set<string>();
  private readonly lastUse = new Map<string, { route?: string; problem?: string }>();
  private signIn: ProxySignInRequest | null = null;
  private problem: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(opts: NetworkOptions = {}) {
    this.options = opts;
    this.routes = new RoutePlanner({
      system: opts.system,
      environment: opts.environment,
      explicit: opts.explicit ?? '',
      proxyLoopback: opts.proxyLoopback,
      // The OS store joins the trusted authorities before anything leaves this computer.
      beforeRemote: () => void this.trust,
      log: (m) => this.log(m),
      now: opts.now ?? Date.now,
    });
    this.store = new ProxyCredentialStore(opts.secrets, (m) => this.log(m));
    this.fetch = ((input: string | URL | Request, init?: RequestInit) =>
      this.send(input, init)) as typeof fetch;
    this.WebSocket = routedSocketClass(this);
  }

  /** The proxy from Settings ('' to follow the system or the environment again). */
  setExplicitProxy(address: string): void {
    this.routes.setExplicitProxy(address);
  }

  /** The proxy that waits for the user's sign-in, if any. */
  get proxySignIn(): ProxySignInRequest | null {
    return this.signIn;
  }

  /** The last failure in words, until a connection succeeds. */
  get lastProblem(): string | null {
    return this.problem;
  }

  /** Hears changes of `proxySignIn`. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The user's credentials for a proxy: kept in the keyring, used from the next connection on. */
  async setProxyCredentials(proxy: string, credentials: Credentials): Promise<void> {
    await this.store.save(proxy, credentials);
    this.credentials.set(proxy, credentials);
    this.refused.delete(proxy);
    await this.dropDispatchers(proxy);
    if (this.signIn?.proxy === proxy) this.setSignIn(null);
    this.log(`net: new sign-in saved for the proxy at ${proxy}`);
  }

  /** The routes in effect for these URLs and what happened on them, without credentials. */
  async report(urls: string[]): Promise<NetworkReport> {
    const hosts: HostReport[] = [];
    for (const href of urls) {
      const url = new URL(href);
      const plan = await this.plan(url).catch((err: unknown) => ({
        source: 'none' as const,
        routes: [],
        unsupported: [errorText(err)],
      }));
      const last = this.lastUse.get(url.host);
      hosts.push({
        host: url.host,
        source: plan.source,
        routes: plan.routes.map(routeLabel),
        unreachable: plan.routes.filter((r) => this.routes.isBad(r)).map(routeLabel),
        unsupported: plan.unsupported,
        ...(last?.route ? { lastRoute: last.route } : {}),
        ...(last?.problem ? { lastProblem: last.problem } : {}),
      });
    }
    return { hosts, certificates: this.trust.report };
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map(async (d) => (await d).close().catch(() => {})));
  }

  /** The certificate authorities, applied before the first connection that leaves this computer. */
  private get trust(): Trust {
    this.trustValue ??= this.options.trust ?? companyTrust();
    return this.trustValue;
  }

  // ---- the route driver (fetch and the WebSocket share it) -------------------------------------

  plan(url: URL): Promise<RoutePlan> {
    return this.routes.plan(url);
  }

  dispatcherFor(route: Route): Promise<RouteDispatcher> {
    if (route.kind === 'direct')
      return route.plainLocal
        ? this.cached('PLAIN_LOCAL', () => directDispatcher(NO_CERTIFICATES))
        : this.cached('DIRECT', () => directDispatcher(this.trust));
    return this.proxyDispatcherFor(route);
  }

  private async proxyDispatcherFor(route: ProxyRoute): Promise<RouteDispatcher> {
    const proxy = proxyAddress(route);
    if (!this.credentials.has(proxy)) this.credentials.set(proxy, await this.store.load(proxy));
    const saved = this.credentials.get(proxy) ?? route.inline;
    const credentials = this.refused.has(proxy) ? undefined : saved;
    const key = `${routeLabel(route)}|${credentials ? 'signed' : 'anonymous'}`;
    return this.cached(key, () => proxyDispatcher(route, credentials, this.trust));
  }

  failed(url: URL, route: Route, used: RouteDispatcher, err: unknown): NetworkFailure {
    const failure = describeFailure(err, route, url, used.credentialsSent);
    this.problem = failure.message;
    this.lastUse.set(url.host, { route: routeLabel(route), problem: failure.message });
    if (route.kind !== 'proxy') return failure;
    const proxy = proxyAddress(route);
    if (failure.kind === 'proxy-unreachable') {
      this.routes.unreachable(proxy);
      this.log(`net: ${failure.message} Trying the next route for ${url.host}, if any.`);
    } else if (failure.kind === 'proxy-auth') {
      if (used.credentialsSent) this.refused.add(proxy);
      const refusal = causes(err).find((e) => e instanceof ProxyRefusal) as ProxyRefusal | undefined;
      const realm = basicRealm(refusal?.challenges ?? []) ?? this.signIn?.realm;
      this.setSignIn({ proxy, rejected: used.credentialsSent, ...(realm ? { realm } : {}) });
    }
    return failure;
  }

  succeeded(url: URL, route: Route): void {
    this.problem = null;
    this.lastUse.set(url.host, { route: routeLabel(route) });
    if (route.kind !== 'proxy') return;
    const proxy = proxyAddress(route);
    this.routes.reached(proxy);
    if (this.signIn?.proxy === proxy) this.setSignIn(null);
  }

  // ---------------------------------------------------------------------------------------------

  private async send(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    if (typeof input !== 'string' && !(input instanceof URL)) {
      throw new TypeError('The network takes a URL and options, not a Request.');
    }
    const url = new URL(input);
    const plan = await this.plan(url);
    for (let i = 0; ; i++) {
      const route = plan.routes[i]!;
      const used = await this.dispatcherFor(route);
      try {
        const res = await used.fetch(url, init);
        this.succeeded(url, route);
        return res;
      } catch (err) {
        if (init?.signal?.aborted) throw err;
        const failure = this.failed(url, route, used, err);
        if (failure.kind === 'proxy-unreachable' && i + 1 < plan.routes.length) continue;
        throw failure;
      }
    }
  }

  private cached(key: string, make: () => Promise<RouteDispatcher>): Promise<RouteDispatcher> {
    let d = this.dispatchers.get(key);
    if (!d) {
      d = make();
      this.dispatchers.set(key, d);
      d.catch(() => this.dispatchers.delete(key));
    }
    return d;
  }

  private async dropDispatchers(proxy: string): Promise<void> {
    const gone = [...this.dispatchers.entries()].filter(([key]) => key.split('|')[0]!.endsWith(` ${proxy}`));
    for (const [key] of gone) this.dispatchers.delete(key);
    await Promise.all(gone.map(async ([, d]) => (await d).close().catch(() => {})));
  }

  private setSignIn(next: ProxySignInRequest | null): void {
    if (JSON.stringify(next) === JSON.stringify(this.signIn)) return;
    this.signIn = next;
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // one listener's failure must not stop the others
      }
    }
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}

/** The hosts the app talks to in `env` (API, login, notification sockets), for `Network.report`. */
export function environmentUrls(env: Environment): string[] {
  const sockets = env.custom
    ? [env.apiBase.replace(/^http/, 'ws')]
    : env.streamingHosts.map((h) => `wss://${h}`);
  return [...new Set([env.apiBase, env.loginBase, ...sockets])];
}
