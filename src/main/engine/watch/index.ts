// The chat source's public surface.
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
