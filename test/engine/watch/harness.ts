// Test wiring for the watcher: a Watcher for a demo user of a running simulator, an engine stand-in
// that follows the batch contract with the real Ledger, and helpers to wait for what a user would see.
import { Ledger } from '../../../src/main/engine/ledger.ts';
import type { ChatEvent, ChatMessage } from '../../../src/main/engine/model.ts';
import { watchAll } from '../../../src/main/engine/compose.ts';
import type { Watching } from '../../../src/main/engine/sources/watching.ts';
import { ChatSource } from '../../../src/main/engine/watch/chat-source.ts';
import {
  defaultTimings,
  type WatchBatch,
  type WatcherTimings,
  type WatchState,
  type WebSocketCtor,
  type WebSocketLike,
} from '../../../src/main/engine/watch/types.ts';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { ChatApi } from '../../../src/main/genesys/chat-api.ts';
import { GenesysHttp, type TokenSource } from '../../../src/main/genesys/http.ts';
import { WireStats } from '../../../src/main/genesys/wire-stats.ts';
import type { Simulator } from '../../../src/simulator/index.ts';
import { staticTokens } from '../../support/genesys.ts';

/** Small intervals so the whole suite stays fast; the simulator's heartbeat must be well under 2 s. */
export const fastTimings: Partial<WatcherTimings> = {
  heartbeatTimeoutMs: 2_000,
  connectTimeoutMs: 2_000,
  reconnectMinMs: 50,
  reconnectMaxMs: 400,
  pollBaseMs: 400,
  pollFastMs: 300,
  pollSlowMs: 1_000,
  pollFloorMs: 100,
  pushRetryMs: 60_000,
  clockCheckMs: 60_000,
  clockJumpMs: 10_000,
  probeTimeoutMs: 1_000,
};

export interface WatchOptions {
  timings?: Partial<WatcherTimings>;
  WebSocketImpl?: WebSocketCtor;
  allowedSocketHosts?: string[];
  syncedAt?: number;
  tokens?: TokenSource;
  fetch?: typeof fetch;
  /** The HTTP client's clock (the watcher's stays real unless `now` is given). */
  httpNow?: () => number;
  now?: () => number;
  monotonic?: () => number;
  /** The engine's ledger from an earlier run (default: a fresh one). */
  ledger?: Ledger;
  /** Don't start: the test calls `h.watcher.start()` itself. */
  manualStart?: boolean;
  wireStats?: WireStats;
}

export interface Harness {
  /** The chat source alone on its channel, as the engine watches it. */
  watcher: Watching;
  api: ChatApi;
  http: GenesysHttp;
  ledger: Ledger;
  me: { id: string; jid: string };
  batches: WatchBatch[];
  states: WatchState[];
  synced: number[];
  logs: string[];
  /** Created messages the ledger accepted as new, in the order the engine would decide them. */
  fresh: ChatMessage[];
  /** Push is up and the gap before it has been backfilled (pushed events flow straight through). */
  live(): boolean;
  /** Batches that carry an event about `messageId`. */
  batchesFor(messageId: string): WatchBatch[];
  /** Resolves once `check` returns something truthy; fails after `timeoutMs` naming `what`. */
  until<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  stop(): void;
}

export async function watch(sim: Simulator, opts: WatchOptions = {}): Promise<Harness> {
  const token = sim.control.actAs(sim.demoUser.id).accessToken;
  const http = new GenesysHttp({
    apiBase: sim.url,
    tokens: opts.tokens ?? staticTokens(token),
    budget: new RequestBudget({ perMinute: 1000, userReserve: 100 }),
    backoffMs: { base: 10, cap: 50 },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.httpNow ? { now: opts.httpNow } : {}),
  });
  const api = new ChatApi(http);
  const me = await api.me();
  const ledger = opts.ledger ?? new Ledger();
  const batches: WatchBatch[] = [];
  const states: WatchState[] = [];
  const synced: number[] = [];
  const logs: string[] = [];
  const fresh: ChatMessage[] = [];
  const log = (m: string): void => void logs.push(`${Date.now() % 100000} watch: ${m}`);
  const monotonic = opts.monotonic;
  const watcher = watchAll(
    { api, http, me, cursors: ledger },
    [(ctx) => new ChatSource(ctx, monotonic ? { monotonic } : {})],
    {
      allowedSocketHosts: opts.allowedSocketHosts ?? ['127.0.0.1'],
      WebSocketImpl: opts.WebSocketImpl ?? (globalThis.WebSocket as unknown as WebSocketCtor),
      timings: { ...defaultTimings, ...fastTimings, ...opts.timings },
      wireStats: opts.wireStats ?? new WireStats({ log }),
      log,
      now: opts.now ?? Date.now,
    },
  );
  // The engine's side of the contract: seed cursors when told to, process created messages in order.
  watcher.on('roster', (entries, info) => {
    if (!info.seed) return;
    for (const e of entries) ledger.seedCursor(e.chat.id, e.lastMessageAt ?? Date.now());
  });
  watcher.on('batch', (batch) => {
    batches.push(batch);
    for (const event of batch.events) {
      if (event.type !== 'created') continue;
      if (ledger.shouldProcess(event.message)) fresh.push(event.message);
      ledger.markProcessed(event.message);
    }
  });
  let caughtUp = false;
  watcher.on('state', (s) => {
    states.push(s);
    caughtUp = false;
  });
  watcher.on('synced', (at) => {
    synced.push(at);
    if (watcher.state === 'push') caughtUp = true;
  });

  const until = async <T>(
    check: () => T | undefined | null | false,
    what: string,
    timeoutMs = 3_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; state ${watcher.state}; log:\n${logs.slice(-60).join('\n')}`,
        );
      await sleep(10);
    }
  };

  const h: Harness = {
    watcher,
    api,
    http,
    ledger,
    me: { id: me.id, jid: me.jid },
    batches,
    states,
    synced,
    logs,
    fresh,
    live: () => watcher.state === 'push' && caughtUp,
    batchesFor: (id) => batches.filter((b) => b.events.some((e) => eventMessageId(e) === id)),
    until,
    stop: () => watcher.stop(),
  };
  if (!opts.manualStart) {
    watcher.start(opts.syncedAt !== undefined ? { syncedAt: opts.syncedAt } : {});
  }
  return h;
}

/** Starts and waits until push is up and the first backfill completed. */
export async function watchReady(sim: Simulator, opts: WatchOptions = {}): Promise<Harness> {
  const h = await watch(sim, opts);
  await h.until(() => h.live(), 'push and a first sync');
  return h;
}

export function eventMessageId(e: ChatEvent): string {
  return e.type === 'deleted' ? e.messageId : e.message.id;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const RealWebSocket = globalThis.WebSocket as unknown as WebSocketCtor;

/**
 * A real WebSocket with a hand on it: `inject` pushes extra frames as if the server sent them,
 * `frozen` swallows incoming frames (a machine asleep: the socket lives on, nothing is read), and
 * `drop` swallows the frames it matches (say, every badge).
 */
export class SocketTap {
  frozen = false;
  drop: ((data: unknown) => boolean) | null = null;
  readonly opened: string[] = [];
  private readonly live = new Set<WebSocketLike>();
  readonly Impl: WebSocketCtor;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tap = this;
    this.Impl = class implements WebSocketLike {
      onopen: ((ev: unknown) => void) | null = null;
      onmessage: ((ev: { data: unknown }) => void) | null = null;
      onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
      onerror: ((ev: unknown) => void) | null = null;
      private readonly real: WebSocketLike;
      constructor(url: string) {
        tap.opened.push(url);
        this.real = new RealWebSocket(url);
        this.real.onopen = (ev) => {
          tap.live.add(this);
          this.onopen?.(ev);
        };
        this.real.onmessage = (ev) => {
          if (!tap.frozen && !tap.drop?.(ev.data)) this.onmessage?.(ev);
        };
        this.real.onclose = (ev) => {
          tap.live.delete(this);
          this.onclose?.(ev);
        };
        this.real.onerror = (ev) => this.onerror?.(ev);
      }
      get readyState(): number {
        return this.real.readyState;
      }
      send(data: string): void {
        this.real.send(data);
      }
      close(code?: number, reason?: string): void {
        tap.live.delete(this);
        this.real.close(code, reason);
      }
    };
  }

  /** Delivers `data` to every open socket as a frame from the server. */
  inject(data: unknown): void {
    for (const socket of this.live) socket.onmessage?.({ data });
  }
}

/** A WebSocket that never connects: it errors and closes right after construction. */
export function failingSocket(counter: { count: number }): WebSocketCtor {
  return class implements WebSocketLike {
    readonly readyState = 3;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor() {
      counter.count++;
      setTimeout(() => {
        this.onerror?.({});
        this.onclose?.({ code: 1006 });
      }, 5);
    }
    send(): void {}
    close(): void {}
  };
}

/** A colleague who shares `room` with the demo user. */
export function colleagueIn(
  sim: Simulator,
  roomName: string,
): { room: string; jid: string; colleague: string } {
  const chat = sim.control.chats(sim.demoUser.id).find((c) => c.kind === 'room' && c.name === roomName);
  if (!chat?.jid) throw new Error(`no room ${roomName}`);
  const colleague = chat.participants.find((p) => p !== sim.demoUser.id);
  if (!colleague) throw new Error(`nobody else in ${roomName}`);
  return { room: chat.id, jid: chat.jid, colleague };
}
