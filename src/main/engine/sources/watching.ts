// What the engine watches while connected: the one channel (push-hub.ts) and the sources on it,
// chats first. It starts, stops and resyncs them together, passes their events on with the source's
// id, and shows the user one connection state: the merge of the sources' states (mergeStates).
import type { RosterEntry } from '../../genesys/mappers.ts';
import type { WatchDiagnostics } from '../diagnostics.ts';
import { Listeners } from '../watch/listeners.ts';
import type { ResyncReason, WatchState } from '../watch/types.ts';
import type { PushHub } from './push-hub.ts';
import type { SourceEvents, WatchSource } from './source.ts';

/** The sources' events, each with the id of the source it came from; `state` is the merged one. */
export interface WatchingEvents {
  batch: (...args: [...Parameters<SourceEvents['batch']>, source: string]) => void;
  roster: (...args: [...Parameters<SourceEvents['roster']>, source: string]) => void;
  synced: (at: number, source: string) => void;
  state: (state: WatchState) => void;
}

/**
 * The state the user sees: the worst of the sources' states. `needs-sign-in` (any source lost the
 * session) over `offline` over `connecting` over `polling` over `push`: everything is `push` only
 * when every source is live on the channel. With chats alone it is the chat source's state.
 */
export function mergeStates(states: readonly WatchState[]): WatchState {
  for (const s of ['needs-sign-in', 'offline', 'connecting', 'polling'] as const)
    if (states.includes(s)) return s;
  return states.length ? 'push' : 'offline';
}

export class Watching {
  /** The first source: its catch-up time is the one the store keeps (`EngineState.syncedAt`). */
  readonly primary: WatchSource;
  private readonly hub: PushHub;
  private readonly sources: readonly WatchSource[];
  private readonly listeners: Listeners<WatchingEvents>;
  private current: WatchState = 'offline';

  constructor(hub: PushHub, sources: readonly WatchSource[], log: (message: string) => void) {
    if (!sources[0]) throw new Error('Nothing to watch: no source.');
    this.primary = sources[0];
    this.hub = hub;
    this.sources = sources;
    this.listeners = new Listeners<WatchingEvents>(log);
    for (const source of sources) {
      source.on('batch', (batch) => this.listeners.emit('batch', batch, source.id));
      source.on('roster', (entries, info) => this.listeners.emit('roster', entries, info, source.id));
      source.on('synced', (at) => this.listeners.emit('synced', at, source.id));
      source.on('state', () => this.updateState());
    }
  }

  get state(): WatchState {
    return this.current;
  }

  /** The id of the notification channel in use, if push is up (tests and logs; never in diagnostics). */
  get channelId(): string | undefined {
    return this.hub.channelId;
  }

  /** The source with this id, if it is watched. */
  source(id: string): WatchSource | undefined {
    return this.sources.find((s) => s.id === id);
  }

  on<K extends keyof WatchingEvents>(event: K, listener: WatchingEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  /**
   * `syncedAt`: the primary source's last catch-up in an earlier run; absent on the very first run.
   * `known`: each source's roster as an earlier run left it (by source id), for its first subscription.
   */
  start(opts: { syncedAt?: number; known?: (sourceId: string) => readonly RosterEntry[] } = {}): void {
    for (const source of this.sources) {
      const known = opts.known?.(source.id) ?? [];
      const syncedAt = source === this.primary ? opts.syncedAt : undefined;
      source.start({ ...(syncedAt !== undefined ? { syncedAt } : {}), ...(known.length ? { known } : {}) });
    }
  }

  stop(): void {
    for (const source of this.sources) source.stop();
    this.hub.stop();
    this.updateState();
  }

  resync(reason: ResyncReason): void {
    for (const source of this.sources) source.resync(reason);
  }

  /** The channel's history and the sources' topic states, for the diagnostics report (no ids). */
  diagnostics(): WatchDiagnostics {
    const parts = this.sources.map((s) => s.diagnostics?.() ?? {});
    const topics = parts.flatMap((p) => (p.topics ? [p.topics] : []));
    return {
      topics: mergeTopics(topics),
      push: { ...this.hub.diagnostics(), chatsRecovered: sum(parts.map((p) => p.recovered ?? 0)) },
    };
  }

  private updateState(): void {
    const next = mergeStates(this.sources.map((s) => s.state));
    if (next === this.current) return;
    this.current = next;
    this.listeners.emit('state', next);
  }
}

function mergeTopics(all: WatchDiagnostics['topics'][]): WatchDiagnostics['topics'] {
  const byFamily: WatchDiagnostics['topics']['byFamily'] = {};
  for (const t of all) for (const [family, counts] of Object.entries(t.byFamily)) byFamily[family] ??= counts;
  return {
    requested: sum(all.map((t) => t.requested)),
    byFamily,
    overflow: sum(all.map((t) => t.overflow)),
    rejectionReasons: all.flatMap((t) => t.rejectionReasons).slice(0, 10),
    missingPermissions: [...new Set(all.flatMap((t) => t.missingPermissions))].slice(0, 20),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
