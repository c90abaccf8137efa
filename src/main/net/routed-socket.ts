// The notification WebSocket over the network's routes: Node's own WebSocket for DIRECT, undici's
// (the same implementation) with the proxy's dispatcher for a proxy, so a proxy tunnels it exactly
// like REST. It tries the routes in order like fetch does, and since a WebSocket's error event
// carries no reason, it reads the reason from the route that failed.
import type { WebSocketLike } from '../engine/watch/types.ts';
import type { RouteDispatcher } from './dispatchers.ts';
import type { NetworkFailure } from './failure.ts';
import type { Route } from './route.ts';

/** What the socket needs from the network. */
export interface RouteDriver {
  plan(url: URL): Promise<{ routes: Route[] }>;
  dispatcherFor(route: Route): Promise<RouteDispatcher>;
  /** Records a failure and puts it into words. */
  failed(url: URL, route: Route, used: RouteDispatcher, err: unknown): NetworkFailure;
  succeeded(url: URL, route: Route): void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

class RoutedWebSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** Why it could not open, in words, when the network knows. */
  failure: NetworkFailure | null = null;
  private inner: WebSocketLike | null = null;
  private state = CONNECTING;

  constructor(url: string, driver: RouteDriver) {
    void this.open(new URL(url), driver).catch((err: unknown) => this.fail(err));
  }

  get readyState(): number {
    return this.state === OPEN && this.inner ? this.inner.readyState : this.state;
  }

  send(data: string): void {
    if (this.state !== OPEN || !this.inner) throw new Error('The WebSocket is not open.');
    this.inner.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.state === CLOSED) return;
    const wasOpen = this.state === OPEN;
    this.state = wasOpen ? CLOSING : CLOSED;
    try {
      this.inner?.close(code, reason);
    } catch {
      this.inner?.close();
    }
  }

  private async open(url: URL, driver: RouteDriver): Promise<void> {
    const { routes } = await driver.plan(url);
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      const used = await driver.dispatcherFor(route);
      if (this.state !== CONNECTING) return;
      const since = Date.now();
      const ws = used.openSocket(url);
      this.inner = ws;
      const opened = await new Promise<boolean>((resolve) => {
        ws.onopen = () => resolve(true);
        ws.onclose = () => resolve(false);
      });
      if (this.state !== CONNECTING) {
        if (opened) ws.close();
        return;
      }
      if (opened) {
        driver.succeeded(url, route);
        this.adopt(ws);
        return;
      }
      const seen = used.lastConnectError;
      if (!seen || seen.at < since) return this.fail(null); // the server said no: not a network matter
      const failure = driver.failed(url, route, used, seen.error);
      if (failure.kind === 'proxy-unreachable' && i + 1 < routes.length) continue;
      return this.fail(failure);
    }
  }

  private adopt(ws: WebSocketLike): void {
    this.state = OPEN;
    ws.onmessage = (ev) => this.onmessage?.({ data: ev.data });
    ws.onerror = (ev) => this.onerror?.(ev);
    ws.onclose = (ev) => {
      this.state = CLOSED;
      this.onclose?.({
        ...(ev.code !== undefined ? { code: ev.code } : {}),
        ...(ev.reason !== undefined ? { reason: ev.reason } : {}),
      });
    };
    this.onopen?.({});
  }

  private fail(err: unknown): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.failure = err && typeof err === 'object' && 'kind' in err ? (err as NetworkFailure) : null;
    const reason = this.failure?.message ?? (err instanceof Error ? err.message : '');
    this.onerror?.({ message: reason });
    this.onclose?.({ code: 1006, reason });
  }
}

/** A WebSocket class whose sockets go over this driver's routes. */
export function routedSocketClass(driver: RouteDriver): new (url: string) => WebSocketLike {
  return class extends RoutedWebSocket {
    constructor(url: string) {
      super(url, driver);
    }
  };
}
