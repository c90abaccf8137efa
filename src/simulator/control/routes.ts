// HTTP routes of the control interface under /_sim (JSON in, JSON out). Every request needs the
// run's control token in `x-sim-control-token`, a loopback Host and no cross-site marks
// (server.ts, http/guard.ts).
//
//   GET    /_sim/users                          demo users
//   GET    /_sim/chats[?userId=]                all chats, or one user's
//   GET    /_sim/channels                       notification channels
//   GET    /_sim/messages/:id                   one message (API shape)
//   POST   /_sim/tokens                         {user?, clientId?, lifetimeSeconds?, clientCredentials?}
//   POST   /_sim/messages                       {as, room? | toUser?, body, mentions?, threadId?}
//   PATCH  /_sim/messages/:id                   {as, body, mentions?}
//   DELETE /_sim/messages/:id?as=<user>
//   PUT    /_sim/messages/:id/reactions         {as, reactions}
//   POST   /_sim/messages/:id/pin    DELETE /_sim/messages/:id/pin
//   DELETE /_sim/channels/:id                   the client then sees {"result":"404"}
//   POST   /_sim/faults/drop-sockets
//   POST   /_sim/faults/expire-tokens           {userId?}
//   POST   /_sim/faults/revoke-tokens           {userId?}
//   POST   /_sim/faults/errors                  {count, status?}   next API requests fail
//   POST   /_sim/faults/latency                 {ms}
//   POST   /_sim/faults/socket-closing          {graceMs?, userId?}
//   POST   /_sim/faults/push-shape              {count, shape?}    next room events mangled
//   POST   /_sim/faults/refuse-topics           {room, reason?}    the room's topics Rejected
//   POST   /_sim/faults/system-notice           {kind, userId?}    v2.system.* to channels
//   POST   /_sim/faults/reset                   faults, rate limit and clock back to start
//   PUT    /_sim/rate-limit                     {perMinute: number | null, maxRetryAfterSeconds?}
//   PUT    /_sim/clock                          {offsetMs}
//   PUT    /_sim/oauth                          {refreshTokens: boolean}
//   PUT    /_sim/variants                       {rosterOrder?, historyOrder?, ...} (variants.ts)
//   GET    /_sim/requests   DELETE /_sim/requests
//   GET    /_sim/tokens/issued   (every token issued, for leak scans)
//   GET    /_sim/traffic    POST /_sim/traffic/start {minIntervalMs?, maxIntervalMs?}
//   POST   /_sim/traffic/stop   POST /_sim/traffic/tick
//   POST   /_sim/bulk                           {rooms, messagesPerRoom}  benchmark history (capped)
import { z } from 'zod';
import type { WireVariants } from '../variants.ts';
import { parseWith } from '../api/schemas.ts';
import { notFound } from '../http/errors.ts';
import type { RouteDef } from '../http/router.ts';
import { BULK_LIMITS, type SimControl } from './control.ts';

export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ControlRoute extends RouteDef {
  handler: (control: SimControl, request: ControlRequest) => unknown;
}

const str = z.string().min(1).max(1000);
const optionalUser = z.object({ userId: str.optional() });

const schemas = {
  token: z.object({
    user: str.optional(),
    clientId: str.optional(),
    lifetimeSeconds: z.int().min(1).max(172_800).optional(),
    clientCredentials: z.boolean().optional(),
  }),
  post: z.object({
    as: str,
    room: str.optional(),
    toUser: str.optional(),
    body: z.string().min(1).max(100_000),
    mentions: z.array(str).max(100).optional(),
    threadId: str.optional(),
  }),
  edit: z.object({
    as: str,
    body: z.string().min(1).max(100_000),
    mentions: z.array(str).max(100).optional(),
  }),
  react: z.object({ as: str, reactions: z.array(z.string().min(1).max(64)).max(50) }),
  errors: z.object({ count: z.int().min(0).max(1_000_000), status: z.int().min(500).max(599).optional() }),
  latency: z.object({ ms: z.int().min(0).max(600_000) }),
  closing: z.object({ graceMs: z.int().min(0).max(3_600_000).optional(), userId: str.optional() }),
  pushShape: z.object({
    count: z.int().min(0).max(1_000_000),
    shape: z.enum(['unknown', 'legacy']).optional(),
  }),
  refuse: z.object({ room: str, reason: z.string().min(1).max(200).optional() }),
  notice: z.object({ kind: z.enum(['no_longer_subscribed', 'token_revoked']), userId: str.optional() }),
  rate: z.object({
    perMinute: z.int().min(1).max(1_000_000).nullable(),
    maxRetryAfterSeconds: z.int().min(1).max(3600).optional(),
  }),
  clock: z.object({ offsetMs: z.int() }),
  oauth: z.object({ refreshTokens: z.boolean() }),
  bulk: z.object({
    rooms: z.int().min(1).max(BULK_LIMITS.rooms),
    messagesPerRoom: z.int().min(1).max(BULK_LIMITS.messages),
  }),
  traffic: z.object({
    minIntervalMs: z.int().min(1).max(86_400_000).optional(),
    maxIntervalMs: z.int().min(1).max(86_400_000).optional(),
  }),
};

const id = (r: ControlRequest): string => r.params.id as string;

export const controlRoutes: ControlRoute[] = [
  { method: 'GET', path: '/_sim/users', handler: (c) => c.users() },
  { method: 'GET', path: '/_sim/chats', handler: (c, r) => c.chats(r.query.get('userId') ?? undefined) },
  { method: 'GET', path: '/_sim/channels', handler: (c) => c.channels() },
  {
    method: 'POST',
    path: '/_sim/tokens',
    handler: (c, r) => {
      const input = parseWith(schemas.token, r.body);
      if (input.clientCredentials) return c.clientToken(input.clientId);
      const users = c.users();
      return c.actAs(input.user ?? (users[0] as { id: string }).id, {
        ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
        ...(input.lifetimeSeconds !== undefined ? { lifetimeSeconds: input.lifetimeSeconds } : {}),
      });
    },
  },
  {
    method: 'POST',
    path: '/_sim/messages',
    handler: (c, r) => {
      const input = parseWith(schemas.post, r.body);
      return c.post({
        as: input.as,
        body: input.body,
        ...(input.room !== undefined ? { room: input.room } : {}),
        ...(input.toUser !== undefined ? { toUser: input.toUser } : {}),
        ...(input.mentions !== undefined ? { mentions: input.mentions } : {}),
        ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/_sim/messages/:id',
    handler: (c, r) => {
      const message = c.message(id(r));
      if (!message) throw notFound(`Message '${id(r)}' was not found.`);
      return message;
    },
  },
  {
    method: 'PATCH',
    path: '/_sim/messages/:id',
    handler: (c, r) => {
      const input = parseWith(schemas.edit, r.body);
      return c.edit({
        as: input.as,
        messageId: id(r),
        body: input.body,
        ...(input.mentions !== undefined ? { mentions: input.mentions } : {}),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/_sim/messages/:id',
    handler: (c, r) => c.delete({ as: r.query.get('as') ?? '', messageId: id(r) }),
  },
  {
    method: 'PUT',
    path: '/_sim/messages/:id/reactions',
    handler: (c, r) => {
      const input = parseWith(schemas.react, r.body);
      return c.react({ as: input.as, messageId: id(r), reactions: input.reactions });
    },
  },
  { method: 'POST', path: '/_sim/messages/:id/pin', handler: (c, r) => c.pin(id(r)) },
  { method: 'DELETE', path: '/_sim/messages/:id/pin', handler: (c, r) => c.unpin(id(r)) },
  { method: 'DELETE', path: '/_sim/channels/:id', handler: (c, r) => ({ deleted: c.deleteChannel(id(r)) }) },
  { method: 'POST', path: '/_sim/faults/drop-sockets', handler: (c) => ({ dropped: c.dropSockets() }) },
  {
    method: 'POST',
    path: '/_sim/faults/expire-tokens',
    handler: (c, r) => ({ expired: c.expireTokens(parseWith(optionalUser, r.body).userId) }),
  },
  {
    method: 'POST',
    path: '/_sim/faults/revoke-tokens',
    handler: (c, r) => ({ revoked: c.revokeTokens(parseWith(optionalUser, r.body).userId) }),
  },
  {
    method: 'POST',
    path: '/_sim/faults/errors',
    handler: (c, r) => {
      const input = parseWith(schemas.errors, r.body);
      c.failNext(input.count, input.status);
    },
  },
  {
    method: 'POST',
    path: '/_sim/faults/latency',
    handler: (c, r) => c.setLatency(parseWith(schemas.latency, r.body).ms),
  },
  {
    method: 'POST',
    path: '/_sim/faults/socket-closing',
    handler: (c, r) => {
      const input = parseWith(schemas.closing, r.body);
      return {
        sockets: c.socketClosing({
          ...(input.graceMs !== undefined ? { graceMs: input.graceMs } : {}),
          ...(input.userId !== undefined ? { userId: input.userId } : {}),
        }),
      };
    },
  },
  {
    method: 'POST',
    path: '/_sim/faults/push-shape',
    handler: (c, r) => {
      const input = parseWith(schemas.pushShape, r.body);
      c.manglePush({ count: input.count, ...(input.shape ? { shape: input.shape } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/_sim/faults/refuse-topics',
    handler: (c, r) => {
      const input = parseWith(schemas.refuse, r.body);
      c.refuseTopics({ room: input.room, ...(input.reason ? { reason: input.reason } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/_sim/faults/system-notice',
    handler: (c, r) => {
      const input = parseWith(schemas.notice, r.body);
      return {
        channels: c.systemNotice({ kind: input.kind, ...(input.userId ? { userId: input.userId } : {}) }),
      };
    },
  },
  { method: 'POST', path: '/_sim/faults/reset', handler: (c) => c.resetFaults() },
  {
    method: 'PUT',
    path: '/_sim/rate-limit',
    handler: (c, r) => {
      const { perMinute, maxRetryAfterSeconds } = parseWith(schemas.rate, r.body);
      c.setRateLimit(perMinute, maxRetryAfterSeconds === undefined ? {} : { maxRetryAfterSeconds });
    },
  },
  {
    method: 'PUT',
    path: '/_sim/clock',
    handler: (c, r) => c.setClockOffset(parseWith(schemas.clock, r.body).offsetMs),
  },
  {
    method: 'PUT',
    path: '/_sim/variants',
    handler: (c, r) => c.setVariants(r.body as Partial<WireVariants>),
  },
  {
    method: 'PUT',
    path: '/_sim/oauth',
    handler: (c, r) => c.setRefreshTokens(parseWith(schemas.oauth, r.body).refreshTokens),
  },
  { method: 'GET', path: '/_sim/requests', handler: (c) => c.requests() },
  { method: 'DELETE', path: '/_sim/requests', handler: (c) => c.clearRequests() },
  { method: 'GET', path: '/_sim/tokens/issued', handler: (c) => ({ secrets: c.issuedSecrets() }) },
  { method: 'GET', path: '/_sim/traffic', handler: (c) => ({ running: c.trafficRunning() }) },
  {
    method: 'POST',
    path: '/_sim/traffic/start',
    handler: (c, r) => {
      const input = parseWith(schemas.traffic, r.body);
      c.startTraffic({
        ...(input.minIntervalMs !== undefined ? { minIntervalMs: input.minIntervalMs } : {}),
        ...(input.maxIntervalMs !== undefined ? { maxIntervalMs: input.maxIntervalMs } : {}),
      });
    },
  },
  { method: 'POST', path: '/_sim/traffic/stop', handler: (c) => c.stopTraffic() },
  { method: 'POST', path: '/_sim/traffic/tick', handler: (c) => ({ action: c.trafficTick() }) },
  {
    method: 'POST',
    path: '/_sim/bulk',
    handler: (c, r) => ({ rooms: c.bulkLoad(parseWith(schemas.bulk, r.body)) }),
  },
];
