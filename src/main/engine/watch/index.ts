// The watcher's public surface: what the engine imports.
export { ChatSource } from './chat-source.ts';
export type { ChatSourceOptions } from './chat-parts.ts';
export {
  defaultTimings,
  type CursorSource,
  type ResyncReason,
  type RosterInfo,
  type WatchBatch,
  type WatcherEvents,
  type WatcherTimings,
  type WatchState,
  type WebSocketCtor,
  type WebSocketLike,
} from './types.ts';
