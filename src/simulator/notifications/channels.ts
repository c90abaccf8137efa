// Notification channels: creation with per-user eviction, topic subscriptions, expiry, sockets and delivery.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { TokenStore, AccessTokenRecord } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import { iso } from '../clock.ts';
import type { NotificationChannel, NotificationEnvelope, SystemMessageEvent } from '../types.ts';

export const MAX_CHANNELS_PER_USER_CLIENT = 20;
export const MAX_TOPICS_PER_CHANNEL = 1000;
const MAX_TIMER_MS = 2_147_483_647;

export interface Channel {
  id: string;
  userId: string | null;
  clientId: string;
  /** The access token that created the channel; the channel ends when that token does. */
  token: string;
  createdMs: number;
  /** Real-time expiry (ms); extended by subscription changes. */
  expiresMs: number;
  topics: Set<string>;
  socket: WebSocket | null;
  heartbeat: NodeJS.Timeout | null;
  timer: NodeJS.Timeout | null;
}

export interface ChannelOwner {
  userId: string | null;
  clientId: string;
  token: { token: string };
}

export interface ChannelSettings {
  lifetimeMs: number;
  heartbeatIntervalMs: number;
}

const RESULT_404 = JSON.stringify({ result: '404' });
const HEARTBEAT = JSON.stringify({
  topicName: 'channel.metadata',
  eventBody: { message: 'WebSocket Heartbeat' },
});
const PONG = JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } });

export function envelope<T>(topicName: string, eventBody: T): NotificationEnvelope<T> {
  return { topicName, version: '2', eventBody, metadata: { CorrelationId: randomUUID() } };
}

export class ChannelRegistry {
  readonly #channels = new Map<string, Channel>();
  readonly #byTopic = new Map<string, Set<Channel>>();
  readonly #pendingTimers = new Set<NodeJS.Timeout>();
  readonly #tokens: TokenStore;
  readonly #clock: Clock;
  readonly settings: ChannelSettings;
  /** Builds the connect URI for a channel id (needs the listening port). */
  connectUri: (id: string) => string = (id) => `ws://127.0.0.1/channels/${id}`;

  constructor(tokens: TokenStore, clock: Clock, settings: ChannelSettings) {
    this.#tokens = tokens;
    this.#clock = clock;
    this.settings = settings;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** A new channel; a 21st channel for the same user and OAuth client evicts the oldest. */
  create(owner: ChannelOwner): Channel {
    const now = Date.now();
    const siblings = [...this.#channels.values()]
      .filter((c) => c.userId === owner.userId && c.clientId === owner.clientId)
      .sort((a, b) => a.createdMs - b.createdMs);
    while (siblings.length >= MAX_CHANNELS_PER_USER_CLIENT) {
      const oldest = siblings.shift();
      if (oldest) this.remove(oldest);
    }
    const channel: Channel = {
      id: randomUUID(),
      userId: owner.userId,
      clientId: owner.clientId,
      token: owner.token.token,
      createdMs: now,
      expiresMs: now + this.settings.lifetimeMs,
      topics: new Set(),
      socket: null,
      heartbeat: null,
      timer: null,
    };
    this.#channels.set(channel.id, channel);
    this.#schedule(channel);
    return channel;
  }

  /** A live channel by id. */
  get(id: string): Channel | undefined {
    const channel = this.#channels.get(id);
    if (channel && !this.#alive(channel)) {
      this.remove(channel);
      return undefined;
    }
    return channel;
  }

  all(): Channel[] {
    return [...this.#channels.values()].filter((c) => this.#alive(c));
  }

  ownedBy(channel: Channel, owner: ChannelOwner): boolean {
    return channel.userId === owner.userId && channel.clientId === owner.clientId;
  }

  /**
   * The caller's channels: `token` (the default, as in Genesys) lists those created with this very
   * access token, `oauthclient` those of the same user and OAuth client.
   */
  listFor(owner: ChannelOwner, scope: 'token' | 'oauthclient'): Channel[] {
    return this.all().filter((c) =>
      scope === 'token' ? c.token === owner.token.token : this.ownedBy(c, owner),
    );
  }

  #alive(channel: Channel): boolean {
    return channel.expiresMs > Date.now() && this.#tokens.isValid(channel.token);
  }

  #schedule(channel: Channel): void {
    if (channel.timer) clearTimeout(channel.timer);
    const due = Math.min(channel.expiresMs, this.#tokens.expiresMs(channel.token));
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, due - Date.now()));
    channel.timer = setTimeout(() => {
      channel.timer = null;
      if (!this.#channels.has(channel.id)) return;
      if (this.#alive(channel)) this.#schedule(channel);
      else this.remove(channel);
    }, delay);
    channel.timer.unref();
  }

  /** Ends a channel: a connected socket gets `{"result":"404"}` and is closed. */
  remove(channel: Channel): void {
    if (this.#channels.get(channel.id) !== channel) return;
    this.#channels.delete(channel.id);
    if (channel.timer) clearTimeout(channel.timer);
    channel.timer = null;
    for (const topic of channel.topics) this.#unindex(topic, channel);
    channel.topics.clear();
    const socket = channel.socket;
    this.#detach(channel);
    if (socket) {
      safeSend(socket, RESULT_404);
      socket.close(1000, 'Channel removed');
    }
  }

  /**
   * Ends channels whose creating token was just revoked or expired. A revoked token's channels are
   * told `v2.system.token_revoked.{channelId}` first (whether Genesys says so before the 404 is
   * unconfirmed; a client must cope with either).
   */
  onTokensInvalidated(records: AccessTokenRecord[]): void {
    const byToken = new Map(records.map((r) => [r.token, r]));
    for (const channel of [...this.#channels.values()]) {
      const record = byToken.get(channel.token);
      if (!record) continue;
      if (record.revoked) this.#notice(channel, 'token_revoked', 'The token of this channel was revoked');
      this.remove(channel);
    }
  }

  /**
   * Sends `v2.system.{kind}.{channelId}` to connected channels (all, or a user's); for
   * `no_longer_subscribed` the channel's topics are dropped as well. Returns how many were told.
   */
  systemNotice(kind: 'no_longer_subscribed' | 'token_revoked', userId?: string): number {
    let count = 0;
    for (const channel of this.all()) {
      if (!channel.socket || (userId !== undefined && channel.userId !== userId)) continue;
      if (kind === 'no_longer_subscribed') this.clear(channel);
      if (
        this.#notice(
          channel,
          kind,
          kind === 'token_revoked' ? 'The token was revoked' : 'Subscriptions removed',
        )
      )
        count++;
    }
    return count;
  }

  #notice(channel: Channel, kind: string, reason: string): boolean {
    if (!channel.socket) return false;
    const body: SystemMessageEvent = {
      channelId: channel.id,
      systemTopicType: kind,
      correlationId: randomUUID(),
      ...(channel.userId !== null ? { userId: channel.userId } : {}),
      oauthClientId: channel.clientId,
      reason,
      message: reason,
    };
    return safeSend(channel.socket, JSON.stringify(envelope(`v2.system.${kind}.${channel.id}`, body)));
  }

  // ---- subscriptions ------------------------------------------------------------------------

  /** Adds (`add`) or replaces (`replace`) topics and extends the channel's life. */
  subscribe(channel: Channel, topics: string[], mode: 'add' | 'replace'): void {
    const next = new Set(mode === 'add' ? [...channel.topics, ...topics] : topics);
    if (next.size > MAX_TOPICS_PER_CHANNEL) {
      throw new RangeError(
        `A channel can have at most ${MAX_TOPICS_PER_CHANNEL} topics (${next.size} requested).`,
      );
    }
    for (const topic of channel.topics) if (!next.has(topic)) this.#unindex(topic, channel);
    for (const topic of next) if (!channel.topics.has(topic)) this.#index(topic, channel);
    channel.topics = next;
    this.extend(channel);
  }

  clear(channel: Channel): void {
    for (const topic of channel.topics) this.#unindex(topic, channel);
    channel.topics = new Set();
  }

  extend(channel: Channel): void {
    channel.expiresMs = Date.now() + this.settings.lifetimeMs;
    this.#schedule(channel);
  }

  #index(topic: string, channel: Channel): void {
    let set = this.#byTopic.get(topic);
    if (!set) this.#byTopic.set(topic, (set = new Set()));
    set.add(channel);
  }

  #unindex(topic: string, channel: Channel): void {
    const set = this.#byTopic.get(topic);
    if (!set) return;
    set.delete(channel);
    if (set.size === 0) this.#byTopic.delete(topic);
  }

  /** Channels subscribed to exactly this topic string. */
  subscribers(topic: string): Channel[] {
    return [...(this.#byTopic.get(topic) ?? [])];
  }

  /** Sends an event on a channel's socket (dropped when none is connected, as Genesys does). */
  send(channel: Channel, topic: string, body: unknown): boolean {
    if (!channel.socket || !this.#alive(channel)) return false;
    return safeSend(channel.socket, JSON.stringify(envelope(topic, body)));
  }

  // ---- sockets ------------------------------------------------------------------------------

  /** Binds a WebSocket to a channel; an earlier connection to the same channel is closed. */
  attach(channel: Channel, socket: WebSocket): void {
    const previous = channel.socket;
    if (previous && previous !== socket) {
      this.#detach(channel);
      previous.close(1000, 'Another connection was opened for this channel');
    }
    channel.socket = socket;
    channel.heartbeat = setInterval(() => safeSend(socket, HEARTBEAT), this.settings.heartbeatIntervalMs);
    channel.heartbeat.unref();
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        return;
      }
      if (parsed && typeof parsed === 'object' && (parsed as { message?: unknown }).message === 'ping') {
        safeSend(socket, PONG);
      }
    });
    socket.on('close', () => {
      if (channel.socket === socket) this.#detach(channel);
    });
  }

  #detach(channel: Channel): void {
    if (channel.heartbeat) clearInterval(channel.heartbeat);
    channel.heartbeat = null;
    channel.socket = null;
  }

  /** Refuses a connection to an unknown or expired channel the way Genesys does. */
  static reject(socket: WebSocket): void {
    safeSend(socket, RESULT_404);
    socket.close(1000, 'Channel not found');
  }

  /** Sends `v2.system.socket_closing` to connected sockets and closes them after `graceMs`. */
  socketClosing(graceMs: number, userId?: string): number {
    let count = 0;
    for (const channel of this.all()) {
      const socket = channel.socket;
      if (!socket || (userId !== undefined && channel.userId !== userId)) continue;
      count++;
      const body: SystemMessageEvent = {
        channelId: channel.id,
        systemTopicType: 'socket_closing',
        correlationId: randomUUID(),
        message: 'WebSocket Closing',
      };
      safeSend(socket, JSON.stringify(envelope('v2.system.socket_closing', body)));
      const timer = setTimeout(() => {
        this.#pendingTimers.delete(timer);
        socket.close(1001, 'Socket closing for maintenance');
      }, graceMs);
      timer.unref();
      this.#pendingTimers.add(timer);
    }
    return count;
  }

  /** Drops every socket abruptly (channels survive, clients may reconnect). */
  dropSockets(): number {
    let count = 0;
    for (const channel of this.#channels.values()) {
      const socket = channel.socket;
      if (!socket) continue;
      count++;
      this.#detach(channel);
      socket.terminate();
    }
    return count;
  }

  toJson(channel: Channel): NotificationChannel {
    return {
      id: channel.id,
      connectUri: this.connectUri(channel.id),
      expires: iso(channel.expiresMs + this.#clock.offsetMs),
    };
  }

  /** Stops every timer and terminates every socket (simulator shutdown). */
  closeAll(): void {
    for (const timer of this.#pendingTimers) clearTimeout(timer);
    this.#pendingTimers.clear();
    for (const channel of this.#channels.values()) {
      if (channel.timer) clearTimeout(channel.timer);
      const socket = channel.socket;
      this.#detach(channel);
      socket?.terminate();
    }
    this.#channels.clear();
    this.#byTopic.clear();
  }
}

function safeSend(socket: WebSocket, text: string): boolean {
  if (socket.readyState !== 1) return false;
  try {
    socket.send(text);
    return true;
  } catch {
    return false;
  }
}
