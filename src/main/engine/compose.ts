// Builds the engine with its real parts: the watcher (push, backfill, poll) and the outbox. The
// Electron main process and the headless runner both start the engine from here.
import { WireStats } from '../genesys/wire-stats.ts';
import { Engine, type EngineOptions } from './engine.ts';
import { Outbox } from './outbox/outbox.ts';
import { Watcher } from './watch/watcher.ts';
import type { WatcherTimings, WebSocketCtor } from './watch/types.ts';

export type CreateEngineOptions = Omit<EngineOptions, 'createWatcher' | 'createOutbox'> & {
  watcherTimings?: Partial<WatcherTimings>;
  /** The WebSocket class for the notification channel (default: the network's, else Node's global one). */
  webSocketImpl?: WebSocketCtor;
};

export function createEngine(opts: CreateEngineOptions): Engine {
  const { watcherTimings, webSocketImpl, ...rest } = opts;
  // One count of wire surprises per engine, kept across reconnects and sign-ins.
  const wireStats = opts.wireStats ?? new WireStats(opts.log ? { log: opts.log } : {});
  const socket: WebSocketCtor | undefined = webSocketImpl ?? opts.network?.WebSocket;
  return new Engine({
    ...rest,
    wireStats,
    createWatcher: (api, me, ledger) =>
      new Watcher({
        api,
        me: { id: me.id, jid: me.jid },
        cursors: ledger,
        allowedSocketHosts: opts.env.streamingHosts,
        wireStats,
        ...(opts.log ? { log: opts.log } : {}),
        ...(opts.now ? { now: opts.now } : {}),
        ...(watcherTimings ? { timings: watcherTimings } : {}),
        ...(socket ? { WebSocketImpl: socket } : {}),
      }),
    createOutbox: (api, userId, storage) =>
      new Outbox({
        storage,
        api,
        userId: () => userId,
        ...(opts.log ? { report: opts.log } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      }),
  });
}
