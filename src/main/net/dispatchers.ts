// How one route connects. DIRECT uses Node's own fetch and WebSocket (the OS certificate store is
// the process's default, see trust.ts) and loads nothing more. A proxy uses undici's ProxyAgent
// (CONNECT tunnels done by undici) with undici's fetch and WebSocket, loaded only when a proxy is
// first used: undici costs about 25 MB that a computer without a proxy never pays. Two small hooks
// make failures explainable: the proxy client turns a non-200 answer to CONNECT into a ProxyRefusal
// carrying its status and Proxy-Authenticate challenges (undici's own error keeps neither), and each
// route remembers its last failed connection, because a WebSocket's error event says nothing.
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import type { WebSocketLike } from '../engine/watch/types.ts';
import { ProxyRefusal } from './failure.ts';
import { proxyUrl, type ProxyRoute } from './route.ts';
import type { Trust } from './trust.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface RouteDispatcher {
  fetch(url: URL, init?: RequestInit): Promise<Response>;
  openSocket(url: URL): WebSocketLike;
  /** Whether it sends proxy credentials (a refusal then means they were wrong). */
  readonly credentialsSent: boolean;
  /** The latest failure to open a connection through it (not known for Node's own sockets). */
  lastConnectError: { at: number; error: Error } | null;
  close(): Promise<void>;
}

let undici: Promise<typeof Undici> | null = null;

/** undici, loaded once on first need. */
function loadUndici(): Promise<typeof Undici> {
  undici ??= import('undici');
  return undici;
}

type ConnectCallback = (err: Error | null, socket: unknown) => void;
type Connector = (options: Undici.buildConnector.Options, callback: ConnectCallback) => void;
type Sink = { lastConnectError: RouteDispatcher['lastConnectError'] };

function observed(connect: Connector, sink: Sink): Undici.buildConnector.connector {
  const wrapped: Connector = (options, callback) =>
    connect(options, (err, socket) => {
      if (err) sink.lastConnectError = { at: Date.now(), error: err };
      callback(err, socket);
    });
  return wrapped as unknown as Undici.buildConnector.connector;
}

/** Node's own fetch and WebSocket, or (when the OS store could not be made the default) undici's. */
export async function directDispatcher(trust: Pick<Trust, 'secureContext'>): Promise<RouteDispatcher> {
  if (!trust.secureContext) {
    return {
      fetch: (url, init) => globalThis.fetch(url, init),
      openSocket: (url) => new globalThis.WebSocket(url) as unknown as WebSocketLike,
      credentialsSent: false,
      lastConnectError: null,
      close: async () => {},
    };
  }
  const u = await loadUndici();
  const sink: Sink = { lastConnectError: null };
  const connect = u.buildConnector({ secureContext: trust.secureContext }) as unknown as Connector;
  return withUndici(u, new u.Agent({ connect: observed(connect, sink) }), sink, false);
}

export async function proxyDispatcher(
  proxy: ProxyRoute,
  credentials: Credentials | undefined,
  trust: Trust,
): Promise<RouteDispatcher> {
  const u = await loadUndici();
  const sink: Sink = { lastConnectError: null };
  const tls = trust.secureContext ? { secureContext: trust.secureContext } : {};
  const agent = new u.ProxyAgent({
    uri: proxyUrl(proxy),
    ...(credentials ? { token: basicToken(credentials) } : {}),
    requestTls: tls,
    proxyTls: tls,
    clientFactory: (origin: URL, opts: object) => tunnelClient(u, origin, opts),
    // The pools towards Genesys hosts: undici hands them its tunnelling connector; watch it fail.
    factory: (origin: string | URL, opts: object) => {
      const o = opts as { connect?: Connector };
      return new u.Pool(origin, {
        ...o,
        ...(o.connect ? { connect: observed(o.connect, sink) } : {}),
      } as Undici.Pool.Options);
    },
  });
  return withUndici(u, agent, sink, credentials !== undefined);
}

function withUndici(
  u: typeof Undici,
  dispatcher: Dispatcher,
  sink: Sink,
  credentialsSent: boolean,
): RouteDispatcher {
  return Object.assign(sink, {
    fetch: async (url: URL, init?: RequestInit): Promise<Response> =>
      (await u.fetch(url, { ...(init as Undici.RequestInit), dispatcher })) as unknown as Response,
    openSocket: (url: URL) => new u.WebSocket(url, { dispatcher }) as unknown as WebSocketLike,
    credentialsSent,
    close: () => dispatcher.close(),
  });
}

/** The client undici uses to talk to the proxy itself; a refused CONNECT keeps its status and challenges. */
function tunnelClient(u: typeof Undici, origin: URL, opts: object): Dispatcher {
  const pool = new u.Pool(origin, opts as Undici.Pool.Options);
  const connect = pool.connect.bind(pool) as (
    o: Dispatcher.ConnectOptions,
  ) => Promise<Dispatcher.ConnectData>;
  Object.assign(pool, {
    connect: async (o: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
      const answer = await connect(o);
      if (answer.statusCode === 200) return answer;
      answer.socket.on('error', () => {}).destroy();
      const raw = answer.headers['proxy-authenticate'];
      throw new ProxyRefusal(answer.statusCode, raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
    },
  });
  return pool;
}

function basicToken(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}
