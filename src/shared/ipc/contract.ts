// The one IPC contract between the renderer and the main process: every channel's name,
// request and response schema, and every event the main process pushes. The preload exposes
// exactly these channels; the main process validates every payload against these schemas.
import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels.ts';

export { BRIDGE_KEY, isEventChannel, isInvokeChannel } from './channels.ts';
export type { EventChannel, InvokeChannel } from './channels.ts';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  mode: z.enum(['demo', 'account']),
  environment: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Request/response channels (renderer → main → renderer). */
export const invokeChannels = {
  'app:get-info': { request: z.undefined(), response: AppInfoSchema },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

/** Events pushed from main to the renderer by subscription. */
export const eventChannels = {
  'app:info-changed': AppInfoSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

// `satisfies` makes the schema maps exhaustive and closed: a channel without a schema, or a
// schema for a channel channels.ts does not name, fails to compile.

export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventOf<E extends EventChannel> = z.output<(typeof eventChannels)[E]>;

/** What crosses the boundary for every invoke: a result, never a thrown Error (whose text Electron mangles). */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
export const IpcErrorSchema = z.object({
  code: z.enum(['bad-request', 'forbidden', 'unknown-channel', 'failed']),
  message: z.string(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** The API the preload exposes on `window.gct` (and the test bridge imitates). */
export interface RendererBridge {
  invoke<C extends InvokeChannel>(channel: C, request?: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
