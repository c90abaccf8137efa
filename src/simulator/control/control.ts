// The control interface (`sim.control`): act as demo users, inject faults, inspect what was received.
import type { SimCore } from '../context.ts';
import { resolveVariants, type WireVariants } from '../variants.ts';
import { iso } from '../clock.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { ChatRecord, UserRecord } from '../model.ts';
import { messageJson, simUser } from '../serialize.ts';
import type { PushShape } from '../faults.ts';
import type { TrafficGenerator } from '../traffic.ts';
import type { Prng } from '../prng.ts';
import { bulkLoad } from '../org/bulk-load.ts';
import type { ChatMessage, RequestCounters, RequestLogEntry, SimUser, TrafficOptions } from '../types.ts';
import type { MessagingControl } from '../messaging/index.ts';

export interface ControlChat {
  kind: 'room' | 'oneonone';
  /** Room id (rooms) or the chat key `direct:<a>|<b>` (1on1s). */
  id: string;
  /** Room jid (rooms only). */
  jid?: string;
  name: string;
  roomType?: 'group' | 'adhoc';
  participants: string[];
  messageCount: number;
  dateLastMessage?: string;
  pinnedMessageIds: string[];
}

export interface ControlChannel {
  id: string;
  userId: string | null;
  clientId: string;
  topics: string[];
  connected: boolean;
  expires: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  userId: string | null;
  clientId: string;
}

export interface PostInput {
  /** Sender: user id or email. */
  as: string;
  /** Target room: id or jid. */
  room?: string;
  /** Target 1on1: the other user's id or email. */
  toUser?: string;
  body: string;
  mentions?: string[];
  threadId?: string;
}

export interface SimControl {
  users(): SimUser[];
  chats(userId?: string): ControlChat[];
  channels(): ControlChannel[];
  message(id: string): ChatMessage | undefined;
  /** An access token for any demo user (id or email), without the OAuth dance. */
  actAs(user: string, options?: { clientId?: string; lifetimeSeconds?: number }): IssuedToken;
  /** A client-credentials token (no user). */
  clientToken(clientId?: string): IssuedToken;
  post(input: PostInput): ChatMessage;
  edit(input: { as: string; messageId: string; body: string; mentions?: string[] }): ChatMessage;
  delete(input: { as: string; messageId: string }): void;
  /** Replaces the user's reactions on a message (same semantics as the API). */
  react(input: { as: string; messageId: string; reactions: string[] }): ChatMessage;
  pin(messageId: string): void;
  unpin(messageId: string): void;
  dropSockets(): number;
  deleteChannel(channelId: string): boolean;
  expireTokens(userId?: string): number;
  revokeTokens(userId?: string): number;
  /** The next `count` API requests answer `status` (default 503). */
  failNext(count: number, status?: number): void;
  setLatency(ms: number): void;
  socketClosing(options?: { graceMs?: number; userId?: string }): number;
  /** The next `count` room message events go out in `shape` (`unknown` or the old `legacy` strings). */
  manglePush(options: { count: number; shape?: PushShape }): void;
  /** The room's (id or jid) message topics are Rejected with `reason` from now on (until reset). */
  refuseTopics(options: { room: string; reason?: string }): void;
  /** Sends `v2.system.no_longer_subscribed.{id}` or `token_revoked.{id}` to connected channels (all, or a user's). */
  systemNotice(options: { kind: 'no_longer_subscribed' | 'token_revoked'; userId?: string }): number;
  /** `null` lifts the limit; `maxRetryAfterSeconds` caps the Retry-After of its 429s (until reset). */
  setRateLimit(perMinute: number | null, options?: { maxRetryAfterSeconds?: number }): void;
  setClockOffset(ms: number): void;
  setRefreshTokens(enabled: boolean): void;
  /** Switches answers to undocumented REST behaviour (see variants.ts); returns them all. */
  setVariants(variants: Partial<WireVariants>): WireVariants;
  resetFaults(): void;
  requests(): { entries: RequestLogEntry[]; counters: RequestCounters };
  clearRequests(): void;
  /** Every access and refresh token the simulator issued, for scanning files and logs for leaks. */
  issuedSecrets(): string[];
  startTraffic(options?: TrafficOptions): void;
  stopTraffic(): void;
  /** Runs one traffic action now; returns what it did. */
  trafficTick(): string | null;
  trafficRunning(): boolean;
  /**
   * Benchmark data: `rooms` new adhoc rooms (demo user + 2 colleagues) with `messagesPerRoom`
   * messages each, dated before all existing history, added silently. Returns the room jids.
   * At most BULK_LIMITS (rooms, and messages in all).
   */
  bulkLoad(options: { rooms: number; messagesPerRoom: number }): string[];
  /** Customer conversations: customers write, offers time out, re-routes (see messaging/control.ts). */
  messaging: MessagingControl;
}

/** What one bulk load may add: enough for any benchmark, too little to exhaust the memory. */
export const BULK_LIMITS = { rooms: 5_000, messages: 200_000 } as const;

function int(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`'${name}' must be an integer between ${min} and ${max}.`);
  }
  return value;
}

export function createControl(
  core: SimCore,
  traffic: TrafficGenerator,
  bulkRng: Prng,
  messaging: MessagingControl,
): SimControl {
  const store = core.store;

  const user = (ref: string): UserRecord => {
    const found = typeof ref === 'string' ? store.findUser(ref) : undefined;
    if (!found) throw notFound(`No demo user matches '${String(ref)}'.`, 'user.not.found');
    return found;
  };

  const issued = (record: {
    token: string;
    expiresMs: number;
    issuedMs: number;
    userId: string | null;
    clientId: string;
  }): IssuedToken => ({
    accessToken: record.token,
    expiresIn: Math.round((record.expiresMs - record.issuedMs) / 1000),
    userId: record.userId,
    clientId: record.clientId,
  });

  const chatJson = (chat: ChatRecord): ControlChat => {
    const out: ControlChat =
      chat.kind === 'room'
        ? {
            kind: 'room',
            id: chat.id,
            jid: chat.jid,
            name: chat.name,
            roomType: chat.roomType,
            participants: [...chat.participants],
            messageCount: chat.messages.filter((m) => !m.deleted).length,
            pinnedMessageIds: [...chat.pins],
          }
        : {
            kind: 'oneonone',
            id: chat.key,
            name: chat.users.map((id) => store.user(id)?.name ?? id).join(' & '),
            participants: [...chat.users],
            messageCount: chat.messages.filter((m) => !m.deleted).length,
            pinnedMessageIds: [...chat.pins],
          };
    if (chat.lastMessageMs !== undefined) out.dateLastMessage = iso(chat.lastMessageMs);
    return out;
  };

  const json = (id: string): ChatMessage => messageJson(store, store.requireMessage(id));

  return {
    users: () => [...store.users.values()].map(simUser),
    chats: (userId) => {
      if (userId !== undefined) return store.chatsOf(user(userId).id).map(chatJson);
      return [...store.rooms.values(), ...store.directs.values()].map(chatJson);
    },
    channels: () =>
      core.channels.all().map((c) => ({
        id: c.id,
        userId: c.userId,
        clientId: c.clientId,
        topics: [...c.topics],
        connected: c.socket !== null,
        expires: core.channels.toJson(c).expires,
      })),
    message: (id) => {
      const m = store.message(id);
      return m ? messageJson(store, m) : undefined;
    },
    actAs: (ref, options = {}) => {
      const lifetime = options.lifetimeSeconds;
      if (lifetime !== undefined) int(lifetime, 'lifetimeSeconds', 1, 172_800);
      const tokens = core.tokens.issue(user(ref).id, options.clientId ?? 'sim-control', {
        refresh: false,
        ...(lifetime !== undefined ? { lifetimeSeconds: lifetime } : {}),
      });
      return issued(tokens.accessToken);
    },
    clientToken: (clientId = 'sim-control') =>
      issued(core.tokens.issue(null, clientId, { refresh: false }).accessToken),
    post: (input) => {
      const sender = user(input.as);
      let chat: ChatRecord;
      if (input.room !== undefined) {
        const room = store.findRoom(input.room);
        if (!room) throw notFound(`Room '${input.room}' was not found.`, 'chat.room.not.found');
        chat = room;
      } else if (input.toUser !== undefined) {
        chat = store.ensureDirect(sender.id, user(input.toUser).id);
      } else {
        throw badRequest("Give 'room' (id or jid) or 'toUser' (id or email).");
      }
      if (typeof input.body !== 'string' || input.body.trim() === '')
        throw badRequest("'body' must be a non-empty string.");
      const message = store.postMessage(chat, sender.id, {
        body: input.body,
        mentions: input.mentions?.map((m) => user(m).id),
        threadId: input.threadId,
      });
      return messageJson(store, message);
    },
    edit: (input) => {
      if (typeof input.body !== 'string' || input.body.trim() === '')
        throw badRequest("'body' must be a non-empty string.");
      const message = store.requireMessage(input.messageId);
      store.editMessage(message, user(input.as).id, {
        body: input.body,
        mentions: input.mentions?.map((m) => user(m).id),
      });
      return json(message.id);
    },
    delete: (input) => store.deleteMessage(store.requireMessage(input.messageId), user(input.as).id),
    react: (input) => {
      if (!Array.isArray(input.reactions) || input.reactions.some((e) => typeof e !== 'string' || e === '')) {
        throw badRequest("'reactions' must be a list of emoji strings.");
      }
      const message = store.requireMessage(input.messageId);
      const reactor = user(input.as);
      if (!store.isMember(message.chat, reactor.id)) throw badRequest(`${reactor.name} is not in that chat.`);
      store.setReactions(message, reactor.id, input.reactions);
      return json(message.id);
    },
    pin: (id) => {
      const message = store.requireMessage(id);
      store.pin(message.chat, [id]);
    },
    unpin: (id) => {
      const message = store.requireMessage(id);
      store.unpin(message.chat, id);
    },
    dropSockets: () => core.channels.dropSockets(),
    deleteChannel: (id) => {
      const channel = core.channels.get(id);
      if (!channel) return false;
      core.channels.remove(channel);
      return true;
    },
    expireTokens: (userId) => core.tokens.expireAll(userId === undefined ? undefined : user(userId).id),
    revokeTokens: (userId) => core.tokens.revokeAll(userId === undefined ? undefined : user(userId).id),
    failNext: (count, status = 503) => {
      core.faults.failNext(int(count, 'count', 0, 1_000_000), int(status, 'status', 500, 599));
    },
    setLatency: (ms) => {
      core.faults.latencyMs = int(ms, 'ms', 0, 600_000);
    },
    socketClosing: (options = {}) =>
      core.channels.socketClosing(
        options.graceMs === undefined
          ? core.options.socketClosingGraceMs
          : int(options.graceMs, 'graceMs', 0, 3_600_000),
        options.userId === undefined ? undefined : user(options.userId).id,
      ),
    manglePush: ({ count, shape = 'unknown' }) => {
      if (shape !== 'unknown' && shape !== 'legacy') throw badRequest("'shape' must be unknown or legacy.");
      core.faults.manglePush(int(count, 'count', 0, 1_000_000), shape);
    },
    refuseTopics: ({ room, reason }) => {
      const found = typeof room === 'string' ? store.findRoom(room) : undefined;
      if (!found) throw notFound(`No room matches '${String(room)}'.`, 'chat.room.not.found');
      core.faults.refusedRooms.set(found.id, (reason ?? 'Missing permission').slice(0, 200));
    },
    systemNotice: ({ kind, userId }) => {
      if (kind !== 'no_longer_subscribed' && kind !== 'token_revoked')
        throw badRequest("'kind' must be no_longer_subscribed or token_revoked.");
      return core.channels.systemNotice(kind, userId === undefined ? undefined : user(userId).id);
    },
    setRateLimit: (perMinute, options = {}) => {
      const cap = options.maxRetryAfterSeconds;
      core.rateLimiter.setLimit(
        perMinute === null ? null : int(perMinute, 'perMinute', 1, 1_000_000),
        cap === undefined ? null : int(cap, 'maxRetryAfterSeconds', 1, 3600),
      );
    },
    setClockOffset: (ms) =>
      store.clock.setOffset(int(ms, 'offsetMs', -10 * 365 * 86_400_000, 10 * 365 * 86_400_000)),
    setRefreshTokens: (enabled) => {
      if (typeof enabled !== 'boolean') throw badRequest("'enabled' must be true or false.");
      core.options.issueRefreshTokens = enabled;
    },
    setVariants: (variants) => {
      try {
        return (core.options.variants = resolveVariants(variants, core.options.variants));
      } catch (err) {
        throw err instanceof RangeError ? badRequest(err.message) : err;
      }
    },
    resetFaults: () => {
      core.faults.clear();
      core.rateLimiter.setLimit(core.options.rateLimitPerMinute);
      core.rateLimiter.reset();
      store.clock.setOffset(0);
    },
    requests: () => ({ entries: core.requestLog.entries(), counters: core.requestLog.counters() }),
    clearRequests: () => core.requestLog.clear(),
    issuedSecrets: () => core.tokens.issuedSecrets(),
    startTraffic: (options) => traffic.start(options),
    stopTraffic: () => traffic.stop(),
    trafficTick: () => traffic.tick(),
    trafficRunning: () => traffic.running,
    bulkLoad: (options) => {
      const rooms = int(options.rooms, 'rooms', 1, BULK_LIMITS.rooms);
      const messagesPerRoom = int(options.messagesPerRoom, 'messagesPerRoom', 1, BULK_LIMITS.messages);
      if (rooms * messagesPerRoom > BULK_LIMITS.messages) {
        throw badRequest(
          `A bulk load holds at most ${BULK_LIMITS.messages} messages (asked: ${rooms} × ${messagesPerRoom}).`,
        );
      }
      return bulkLoad(store, bulkRng, core.demoUserId, { rooms, messagesPerRoom }).map((room) => room.jid);
    },
    messaging,
  };
}
