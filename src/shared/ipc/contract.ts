// The one IPC contract between the renderer and the main process: every channel's name,
// request and response schema, and every event the main process pushes. The preload exposes
// exactly these channels; the main process validates every payload against these schemas.
import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels.ts';
import { ProxyAddressSchema, ProxyCredentialsSchema } from '../proxy.ts';
import { CHAT_ID_MAX } from '../domain/chat-ref.ts';

import {
  ChatSummaryViewSchema,
  EngineStateViewSchema,
  MessageViewSchema,
  OutboxItemViewSchema,
  ParticipantViewSchema,
  PrefsViewSchema,
  RegionViewSchema,
  ServerSettingsSchema,
} from './views.ts';

import { interactionEventChannels, interactionInvokeChannels } from './interactions.ts';

export { BRIDGE_KEY, isEventChannel, isInvokeChannel } from './channels.ts';
export * from './views.ts';
export * from './interactions.ts';
export type { EventChannel, InvokeChannel } from './channels.ts';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  mode: z.enum(['demo', 'account']),
  environment: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Ids go into API paths: `.` and `..` (which a URL resolves into another path) are never ids. */
const notDotSegment = (id: string): boolean => id !== '.' && id !== '..';
const chatId = z.string().min(1).max(CHAT_ID_MAX).refine(notDotSegment, 'Not a valid id.');
const messageId = z.string().min(1).max(256).refine(notDotSegment, 'Not a valid id.');
const ChatReq = z.strictObject({ chatId });
const MessageReq = z.strictObject({ chatId, messageId });
const none = z.undefined();
const done = z.null();

export const ServerSettingsChangeSchema = ServerSettingsSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one setting');
/**
 * What the popup may change in the preferences. Not the environment, the client id or the loopback
 * port: those change only through a sign-in (`auth:sign-in`), which checks them first; written
 * directly they bypassed the https check and could leave the app unable to start.
 */
export const PrefsChangeSchema = PrefsViewSchema.omit({
  environment: true,
  clientId: true,
  loopbackPort: true,
})
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one preference');

/** Request/response channels (renderer → main → renderer). */
export const invokeChannels = {
  'app:get-info': { request: none, response: AppInfoSchema },
  /** Builds the diagnostics report (no token, text, name or id), puts it on the clipboard, returns it. */
  'app:copy-diagnostics': { request: none, response: z.object({ text: z.string().max(500_000) }) },
  'state:get': { request: none, response: EngineStateViewSchema },
  'auth:regions': { request: none, response: z.array(RegionViewSchema) },
  'auth:sign-in': {
    request: z.strictObject({
      environment: z.string().min(1).max(300),
      clientId: z.string().min(1).max(200),
      loopbackPort: z.number().int().min(1024).max(65535),
    }),
    response: done,
  },
  'auth:cancel-sign-in': { request: none, response: done },
  'auth:sign-out': { request: none, response: done },
  'auth:use-demo': { request: none, response: done },
  /** The user's name and password for the proxy that asked (kept only in the OS keyring). */
  'proxy:sign-in': {
    request: ProxyCredentialsSchema.extend({ proxy: ProxyAddressSchema }).strict(),
    response: done,
  },
  'chats:list': { request: none, response: z.array(ChatSummaryViewSchema) },
  'chat:history': {
    request: z.strictObject({
      chatId,
      before: z.number().finite().optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    response: z.object({ messages: z.array(MessageViewSchema).max(100), hasMore: z.boolean() }),
  },
  'chat:thread': {
    request: z.strictObject({ chatId, threadId: messageId }),
    response: z.object({ messages: z.array(MessageViewSchema).max(100) }),
  },
  'chat:participants': { request: ChatReq, response: z.array(ParticipantViewSchema).max(5000) },
  'chat:pins': {
    request: ChatReq,
    response: z.object({
      messageIds: z.array(messageId).max(100),
      /** The pinned messages themselves (those that still exist), for the pinned list. */
      messages: z.array(MessageViewSchema).max(100),
      limit: z.number().int(),
    }),
  },
  'action:reply': {
    request: z.strictObject({
      chatId,
      text: z.string().trim().min(1).max(10_000),
      threadId: messageId.optional(),
      mentions: z.array(z.string().min(1).max(256)).max(50).optional(),
    }),
    response: OutboxItemViewSchema,
  },
  'action:react': {
    request: z.strictObject({ chatId, messageId, emoji: z.string().min(1).max(64), on: z.boolean() }),
    response: OutboxItemViewSchema,
  },
  'action:pin': { request: MessageReq, response: OutboxItemViewSchema },
  'action:unpin': { request: MessageReq, response: OutboxItemViewSchema },
  'action:edit': {
    request: z.strictObject({ chatId, messageId, text: z.string().trim().min(1).max(10_000) }),
    response: OutboxItemViewSchema,
  },
  'action:delete': { request: MessageReq, response: OutboxItemViewSchema },
  'action:retry': { request: z.strictObject({ id: z.string().min(1).max(100) }), response: z.boolean() },
  'action:discard': { request: z.strictObject({ id: z.string().min(1).max(100) }), response: z.boolean() },
  'inbox:mark-read': { request: ChatReq, response: done },
  'inbox:mark-all-read': { request: none, response: done },
  'settings:update': { request: ServerSettingsChangeSchema, response: ServerSettingsSchema },
  'prefs:get': { request: none, response: PrefsViewSchema },
  'prefs:update': { request: PrefsChangeSchema, response: PrefsViewSchema },
  'link:open': { request: z.strictObject({ url: z.string().min(1).max(4096) }), response: done },
  'popup:hide': { request: none, response: done },
  ...interactionInvokeChannels,
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

/** Events pushed from main to the renderer by subscription. */
export const eventChannels = {
  'app:info-changed': AppInfoSchema,
  'state:changed': EngineStateViewSchema,
  /** Open a chat (a notification click); `compose`: with the reply box focused (the quick reply). */
  'nav:open-chat': z.object({
    chatId,
    messageId: messageId.optional(),
    threadId: messageId.optional(),
    compose: z.boolean().optional(),
  }),
  /** Open the settings view (the tray menu's "Settings…"). */
  'nav:open-settings': z.object({}),
  /** Something happened in a chat (a message, an edit, a reaction): an open conversation refreshes. */
  'chat:activity': z.object({ chatId }),
  ...interactionEventChannels,
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
