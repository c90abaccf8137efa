// Builds the engine with its real parts: per connection the one notification channel and the
// watched sources on it (chats first, then any others), and the outbox. The Electron main process
// and the headless runner both start the engine from here.
import { WireStats } from '../genesys/wire-stats.ts';
import type { EngineOptions, WatchContext } from './engine-options.ts';
import { Engine } from './engine.ts';
import { Outbox } from './outbox/outbox.ts';
import { PushHub } from './sources/push-hub.ts';
import type { SourceContext, SourceFactory, WatchSource } from './sources/source.ts';
import { Watching } from './sources/watching.ts';
import { ChatSource } from './watch/chat-source.ts';
import { MessagingWatchSource } from '../messaging/watch-source.ts';
import { defaultTimings, type WatcherTimings, type WebSocketCtor } from './watch/types.ts';

export type CreateEngineOptions = Omit<EngineOptions, 'createWatching' | 'createOutbox'> & {
  watcherTimings?: Partial<WatcherTimings>;
  /** The WebSocket class for the notification channel (default: the network's, else Node's global one). */
  webSocketImpl?: WebSocketCtor;
  /** Sources watched beside chats, in this order (after chats, on the same channel and pipeline). */
  sources?: SourceFactory[];
};

/**
 * The sources every engine watches, in order: chats first (they come first in the topic budget),
 * then the user's customer conversations (one topic, reserved).
 */
const BUILT_IN: SourceFactory[] = [(ctx) => new ChatSource(ctx), (ctx) => new MessagingWatchSource(ctx)];

export function createEngine(opts: CreateEngineOptions): Engine {
  const { watcherTimings, webSocketImpl, sources, ...rest } = opts;
  // One count of wire surprises per engine, kept across reconnects and sign-ins.
  const wireStats = opts.wireStats ?? new WireStats(opts.log ? { log: opts.log } : {});
  const socket: WebSocketCtor =
    webSocketImpl ?? opts.network?.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const timings: WatcherTimings = { ...defaultTimings, ...watcherTimings };
  const log = (m: string): void => opts.log?.(`watch: ${m}`);
  const now = opts.now ?? Date.now;
  return new Engine({
    ...rest,
    wireStats,
    createWatching: (ctx) =>
      watchAll(ctx, [...BUILT_IN, ...(sources ?? [])], {
        allowedSocketHosts: opts.env.streamingHosts,
        WebSocketImpl: socket,
        timings,
        wireStats,
        log,
        now,
      }),
    createOutbox: (api, userId, storage, customers) =>
      new Outbox({
        storage,
        api,
        customers,
        userId: () => userId,
        ...(opts.log ? { report: opts.log } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      }),
  });
}

/** One connection's channel with `factories`' sources on it, registered in order. */
export function watchAll(
  ctx: WatchContext,
  factories: SourceFactory[],
  o: Pick<SourceContext, 'wireStats' | 'timings' | 'log' | 'now'> & {
    allowedSocketHosts: readonly string[];
    WebSocketImpl: WebSocketCtor;
    random?: () => number;
  },
): Watching {
  const hub = new PushHub({
    api: ctx.api,
    allowedSocketHosts: o.allowedSocketHosts,
    WebSocketImpl: o.WebSocketImpl,
    timings: o.timings,
    wireStats: o.wireStats,
    log: o.log,
    now: o.now,
    random: o.random ?? Math.random,
  });
  const sources: WatchSource[] = factories.map((factory) => {
    const { port, bind } = hub.port();
    const source = factory({
      api: ctx.api,
      http: ctx.http,
      me: ctx.me,
      cursors: ctx.cursors,
      ...(ctx.sentByApp ? { sentByApp: ctx.sentByApp } : {}),
      push: port,
      wireStats: o.wireStats,
      timings: o.timings,
      log: o.log,
      now: o.now,
    });
    bind(source);
    return source;
  });
  return new Watching(hub, sources, o.log);
}
