// undici dispatchers for one route each: an Agent for DIRECT, a ProxyAgent (CONNECT tunnels, done
// by undici) for a proxy. Both use the shared trust (OS store + Node's bundle). Two small hooks
// make failures explainable: the proxy client turns a non-200 answer to CONNECT into a ProxyRefusal
// carrying its status and Proxy-Authenticate challenges (undici's own error keeps neither), and each
// dispatcher remembers its last failed connection, because a WebSocket's error event says nothing.
import { Agent, buildConnector, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { ProxyRefusal } from './failure.ts';
import { proxyUrl, type ProxyRoute } from './route.ts';
import type { Trust } from './trust.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface RouteDispatcher {
  readonly dispatcher: Dispatcher;
  /** Whether it sends proxy credentials (a refusal then means they were wrong). */
  readonly credentialsSent: boolean;
  /** The latest failure to open a connection through it. */
  lastConnectError: { at: number; error: Error } | null;
  close(): Promise<void>;
}

type ConnectCallback = (err: Error | null, socket: unknown) => void;
type Connector = (options: buildConnector.Options, callback: ConnectCallback) => void;

function observed(
  connect: Connector,
  sink: { lastConnectError: RouteDispatcher['lastConnectError'] },
): Connector {
  return (options, callback) =>
    connect(options, (err, socket) => {
      if (err) sink.lastConnectError = { at: Date.now(), error: err };
      callback(err, socket);
    });
}

function tlsOptions(trust: Trust): buildConnector.BuildOptions {
  return trust.secureContext ? { secureContext: trust.secureContext } : {};
}

export function directDispatcher(trust: Trust): RouteDispatcher {
  const base = buildConnector(tlsOptions(trust)) as unknown as Connector;
  const route: { lastConnectError: RouteDispatcher['lastConnectError'] } = { lastConnectError: null };
  const agent = new Agent({ connect: observed(base, route) as unknown as buildConnector.connector });
  return Object.assign(route, {
    dispatcher: agent,
    credentialsSent: false,
    close: () => agent.close(),
  });
}

export function proxyDispatcher(
  proxy: ProxyRoute,
  credentials: Credentials | undefined,
  trust: Trust,
): RouteDispatcher {
  const route: { lastConnectError: RouteDispatcher['lastConnectError'] } = { lastConnectError: null };
  const tls = tlsOptions(trust);
  const agent = new ProxyAgent({
    uri: proxyUrl(proxy),
    ...(credentials ? { token: basicToken(credentials) } : {}),
    requestTls: tls,
    proxyTls: tls,
    clientFactory: (origin: URL, opts: object) => tunnelClient(origin, opts),
    // The pools towards Genesys hosts: undici hands them its tunnelling connector; watch it fail.
    factory: (origin: string | URL, opts: object) => {
      const o = opts as { connect?: Connector };
      return new Pool(origin, {
        ...o,
        ...(o.connect ? { connect: observed(o.connect, route) as unknown as buildConnector.connector } : {}),
      } as Pool.Options);
    },
  });
  return Object.assign(route, {
    dispatcher: agent,
    credentialsSent: credentials !== undefined,
    close: () => agent.close(),
  });
}

/** The client undici uses to talk to the proxy itself; a refused CONNECT keeps its status and challenges. */
function tunnelClient(origin: URL, opts: object): Dispatcher {
  const pool = new Pool(origin, opts as Pool.Options);
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
