// Channel names only, with no schema library: the sandboxed preload imports this file alone,
// so its bundle stays tiny and needs nothing but `electron`. contract.ts checks at compile time
// that its schemas cover exactly these names.
export const INVOKE_CHANNELS = [
  'app:get-info',
  'app:copy-diagnostics',
  'state:get',
  'auth:regions',
  'auth:sign-in',
  'auth:cancel-sign-in',
  'auth:sign-out',
  'auth:use-demo',
  'proxy:sign-in',
  'chats:list',
  'chat:history',
  'chat:thread',
  'chat:participants',
  'chat:pins',
  'action:reply',
  'action:react',
  'action:pin',
  'action:unpin',
  'action:edit',
  'action:delete',
  'action:retry',
  'action:discard',
  'inbox:mark-read',
  'inbox:mark-all-read',
  'settings:update',
  'prefs:get',
  'prefs:update',
  'link:open',
  'popup:hide',
  'interactions:list',
  'interaction:transcript',
  'interaction:accept',
  'interaction:decline',
  'interaction:reply',
  'interaction:typing',
  'interaction:end',
  'interaction:wrapup-codes',
  'interaction:wrapup',
] as const;
export const EVENT_CHANNELS = [
  'app:info-changed',
  'state:changed',
  'nav:open-chat',
  'nav:open-settings',
  'chat:activity',
  'interactions:changed',
  'nav:open-interaction',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** The global name under which the preload exposes the bridge (`window.gct`). */
export const BRIDGE_KEY = 'gct';

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);
}
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);
}
