// The HTTP server: dispatches login, API and control paths, with auth, rate limits, faults and logging.
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiRoute, Caller, SimCore } from './context.ts';
import { handleAuthorize, handleToken } from './auth/oauth-routes.ts';
import { parseJsonBody, parseOptionalJson, readBody } from './http/body.ts';
import { ApiError } from './http/errors.ts';
import { controlRefusal, isLoopbackHost } from './http/guard.ts';
import { sendEmpty, sendError, sendJson } from './http/respond.ts';
import { Router, splitPath } from './http/router.ts';
import type { RouteDef } from './http/router.ts';
import { errorMessageFor } from './faults.ts';
import type { ControlRoute } from './control/routes.ts';
import type { SimControl } from './control/control.ts';
import type { SocketEndpoint } from './notifications/socket.ts';

interface RequestMeta {
  route?: string;
  userId?: string;
  body?: unknown;
}

/** API request bodies up to this size are kept in the request log (what a client sent, for tests). */
const LOGGED_BODY_BYTES = 8192;

const OAUTH_ROUTES: RouteDef[] = [
  { method: 'GET', path: '/oauth/authorize' },
  { method: 'POST', path: '/oauth/token' },
];

export interface ServerParts {
  core: SimCore;
  apiRoutes: ApiRoute[];
  controlRoutes: ControlRoute[];
  control: SimControl;
  sockets: SocketEndpoint;
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string; cert: string };
}

/** 401 for a missing, unknown, expired or revoked bearer token, in the Genesys shape. */
function authenticate(core: SimCore, req: IncomingMessage): Caller {
  const header = req.headers.authorization ?? '';
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new ApiError(
      401,
      'No authentication bearer token specified in authorization header.',
      'authentication.required',
    );
  }
  const lookup = core.tokens.lookup(match[1] as string);
  if (!lookup.ok) throw new ApiError(401, 'Invalid login credentials.', 'bad.credentials');
  return { token: lookup.record, userId: lookup.record.userId, clientId: lookup.record.clientId };
}

export function createSimulatorServer(parts: ServerParts): Server {
  const { core, control, sockets } = parts;
  const apiRouter = new Router(parts.apiRoutes);
  const controlRouter = new Router(parts.controlRoutes);
  const oauthRouter = new Router(OAUTH_ROUTES);

  const fail = (res: ServerResponse, err: unknown, where: string): void => {
    if (err instanceof ApiError) {
      sendError(res, err.status, err.message, err.code, err.headers);
      return;
    }
    core.reportBug(where, err);
    sendError(res, 500, 'An unexpected error occurred in the simulator.', 'internal.server.error');
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    meta: RequestMeta,
  ): Promise<void> => {
    if (core.faults.latencyMs > 0) await delay(core.faults.latencyMs, undefined, { ref: false });
    const injected = core.faults.takeError();
    if (injected !== null) {
      sendError(res, injected, errorMessageFor(injected));
      return;
    }
    const method = req.method ?? 'GET';
    const match = apiRouter.match(method, splitPath(url.pathname));
    if (!match) throw new ApiError(404, `No resource found for ${method} ${url.pathname.slice(0, 200)}.`);
    meta.route = match.route.path;
    const caller = authenticate(core, req);
    if (caller.userId) meta.userId = caller.userId;
    const decision = core.rateLimiter.check(caller.token.token);
    if (!decision.allowed) {
      const limit = core.rateLimiter.limit ?? 0;
      throw new ApiError(
        429,
        `Rate limit exceeded the maximum of [${limit}] requests within [60] seconds.`,
        'too.many.requests',
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    }
    const raw = await readBody(req);
    const body = match.route.body === 'json' ? parseJsonBody(req, raw) : undefined;
    if (body !== undefined && raw.length <= LOGGED_BODY_BYTES) meta.body = body;
    const result = await match.route.handler({
      core,
      req,
      params: match.params,
      query: url.searchParams,
      body,
      caller,
    });
    if (result.body === undefined) sendEmpty(res, result.status, result.headers);
    else sendJson(res, result.status, result.body, result.headers);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const match = controlRouter.match(method, splitPath(url.pathname));
    if (!match) throw new ApiError(404, `No control route for ${method} ${url.pathname.slice(0, 200)}.`);
    const raw = await readBody(req);
    const body = method === 'GET' || method === 'DELETE' ? {} : parseOptionalJson(req, raw);
    const result = await match.route.handler(control, {
      params: match.params,
      query: url.searchParams,
      body,
    });
    if (result === undefined) sendEmpty(res, 204);
    else sendJson(res, 200, result);
  };

  const handleOAuth = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    meta: RequestMeta,
  ): Promise<void> => {
    const match = oauthRouter.match(req.method ?? 'GET', splitPath(url.pathname));
    if (!match) throw new ApiError(404, `No resource found for ${url.pathname.slice(0, 200)}.`);
    meta.route = match.route.path;
    if (match.route.path === '/oauth/authorize') handleAuthorize(core, res, url.searchParams);
    else await handleToken(core, req, res);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    req.on('error', () => {});
    res.on('error', () => {});
    if (!isLoopbackHost(req.headers.host, core.port)) {
      sendError(res, 421, 'The simulator answers only requests addressed to 127.0.0.1 or localhost.');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      sendError(res, 400, 'Malformed request URL.');
      return;
    }
    const path = url.pathname;
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      const refusal = controlRefusal(req, core.port, core.options.controlToken);
      if (refusal) {
        sendError(res, 403, refusal, 'sim.control.forbidden');
        return;
      }
      handleControl(req, res, url).catch((err: unknown) => fail(res, err, `control ${req.method} ${path}`));
      return;
    }
    const meta: RequestMeta = {};
    const receivedAt = Date.now();
    const at = new Date(core.clock.now()).toISOString();
    res.on('close', () => {
      core.requestLog.add({
        at,
        receivedAt,
        method: req.method ?? 'GET',
        path,
        status: res.statusCode,
        ...(meta.userId ? { userId: meta.userId } : {}),
        ...(meta.route ? { route: meta.route } : {}),
        ...(meta.body !== undefined ? { body: meta.body } : {}),
      });
    });
    const work = path.startsWith('/oauth/')
      ? handleOAuth(req, res, url, meta)
      : path.startsWith('/api/v2/')
        ? handleApi(req, res, url, meta)
        : Promise.reject(new ApiError(404, `No resource found for ${path.slice(0, 200)}.`));
    work.catch((err: unknown) => fail(res, err, `${req.method} ${path}`));
  };
  const server = parts.tls ? createTlsServer(parts.tls, listener) : createServer(listener);

  server.on('upgrade', (req, socket, head) => {
    if (!isLoopbackHost(req.headers.host, core.port)) {
      socket.on('error', () => {});
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
