// Picks the routes for one URL, in order: loopback always DIRECT (unless told otherwise); else the
// proxy from Settings, or the system's / the environment's list. Proxies that could not be reached
// lately go last for a while, as Chromium does; proxies the app cannot use are logged once each.
import { NetworkFailure } from './failure.ts';
import { DIRECT, isLoopbackHost, PLAIN_LOCAL, proxyAddress, type Route } from './route.ts';
import {
  environmentSource,
  explicitSource,
  noProxySource,
  systemSource,
  type ProxySource,
  type ProxySourceName,
  type SystemProxyResolver,
} from './sources.ts';

export interface RoutePlan {
  source: ProxySourceName | 'loopback';
  routes: Route[];
  unsupported: string[];
}

export interface RoutePlannerOptions {
  system?: SystemProxyResolver | undefined;
  environment?: boolean | undefined;
  explicit: string;
  proxyLoopback?: boolean | undefined;
  /** Called before planning a URL that leaves this computer (the network applies its trust then). */
  beforeRemote(): void;
  log(message: string): void;
  now(): number;
}

/** A proxy that could not be reached is tried last for this long. */
export const BAD_PROXY_MS = 5 * 60_000;

export class RoutePlanner {
  private readonly options: RoutePlannerOptions;
  private readonly base: ProxySource;
  private explicit: ProxySource | null = null;
  /** Per proxy that could not be reached: until when it goes last. */
  private readonly bad = new Map<string, number>();
  private readonly saidUnusable = new Set<string>();

  constructor(opts: RoutePlannerOptions) {
    this.options = opts;
    this.base = opts.system
      ? systemSource(opts.system)
      : opts.environment
        ? environmentSource()
        : noProxySource;
    this.setExplicitProxy(opts.explicit);
  }

  /** The proxy from Settings ('' to follow the system or the environment again). */
  setExplicitProxy(address: string): void {
    const next = address.trim() ? explicitSource(address) : null;
    this.explicit = next;
    this.bad.clear();
  }

  async plan(url: URL): Promise<RoutePlan> {
    if (!this.options.proxyLoopback && isLoopbackHost(url.hostname)) {
      const plain = url.protocol === 'http:' || url.protocol === 'ws:';
      return { source: 'loopback', routes: [plain ? PLAIN_LOCAL : DIRECT], unsupported: [] };
    }
    this.options.beforeRemote();
    const source = this.explicit ?? this.base;
    let list;
    try {
      list = await source.routesFor(url);
    } catch (err) {
      this.options.log(
        `net: the ${source.name} proxy settings could not be read for ${url.host}: ${String(err)}`,
      );
      list = { routes: [DIRECT], unsupported: [] };
    }
    const unusable = `${url.host}: ${list.unsupported.join('; ')}`;
    if (list.unsupported.length > 0 && !this.saidUnusable.has(unusable) && this.saidUnusable.size < 100) {
      this.saidUnusable.add(unusable); // once each, not on every request
      this.options.log(`net: proxies the app cannot use for ${unusable}`);
    }
    if (list.routes.length === 0) {
      throw new NetworkFailure(
        'proxy-unsupported',
        `The proxy settings for ${url.host} name only proxies the app cannot use ` +
          `(${list.unsupported.join('; ') || 'none'}).`,
        { transient: false },
      );
    }
    // Proxies that could not be reached lately go last, in their order.
    const routes = [
      ...list.routes.filter((r) => !this.isBad(r)),
      ...list.routes.filter((r) => this.isBad(r)),
    ];
    return { source: source.name, routes, unsupported: list.unsupported };
  }

  /** A proxy could not be reached: it goes last for BAD_PROXY_MS. */
  unreachable(proxy: string): void {
    this.bad.set(proxy, this.options.now() + BAD_PROXY_MS);
  }

  /** A proxy worked: it takes its place again. */
  reached(proxy: string): void {
    this.bad.delete(proxy);
  }

  isBad(route: Route): boolean {
    if (route.kind !== 'proxy') return false;
    const until = this.bad.get(proxyAddress(route));
    return until !== undefined && until > this.options.now();
  }
}
