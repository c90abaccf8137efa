// A scripted RendererBridge for renderer tests: answers per channel, records calls, emits events.
import { flushSync } from 'svelte';
import type {
  EngineStateView,
  EventChannel,
  EventOf,
  InvokeChannel,
  IpcResult,
  MessageView,
  PrefsView,
  RendererBridge,
  RequestOf,
  ResponseOf,
} from '../../src/shared/ipc/contract.ts';

type Answer<C extends InvokeChannel> =
  ResponseOf<C> | Error | ((req: RequestOf<C>) => ResponseOf<C> | Error | Promise<ResponseOf<C> | Error>);
export type Script = { [C in InvokeChannel]?: Answer<C> };

export interface FakeBridge extends RendererBridge {
  calls: { channel: InvokeChannel; request: unknown }[];
  script: Script;
  emit<E extends EventChannel>(event: E, payload: EventOf<E>): void;
  callsTo(channel: InvokeChannel): unknown[];
}

export function installFakeBridge(script: Script): FakeBridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: FakeBridge['calls'] = [];
  const bridge: FakeBridge = {
    calls,
    script,
    async invoke(channel, request) {
      calls.push({ channel, request });
      const answer = (script as Record<string, unknown>)[channel];
      if (answer === undefined)
        return { ok: false, error: { code: 'failed', message: `no answer for ${channel}` } };
      const value =
        typeof answer === 'function' ? await (answer as (r: unknown) => unknown)(request) : answer;
      if (value instanceof Error) return { ok: false, error: { code: 'failed', message: value.message } };
      return { ok: true, value } as IpcResult<never>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
      flushSync();
    },
    callsTo(channel) {
      return calls.filter((c) => c.channel === channel).map((c) => c.request);
    },
  };
  (window as unknown as Record<string, unknown>)['gct'] = bridge;
  return bridge;
}

export function removeBridge(): void {
  delete (window as unknown as Record<string, unknown>)['gct'];
}

/** Lets pending promises settle and Svelte flush, a few rounds. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

export const ME = { userId: 'u-me', name: 'Alex Morgan' };

export function stateView(over: Partial<EngineStateView> = {}): EngineStateView {
  return {
    connection: 'push',
    demo: true,
    environment: 'http://127.0.0.1:4010',
    account: ME,
    inbox: [],
    unread: 0,
    unreadForMe: false,
    held: 0,
    lastSyncAt: 1,
    outbox: [],
    settings: { value: { muted: false, mentionsOnly: false, notifyOnReactions: true }, sync: 'idle' },
    ...over,
  };
}

export const PREFS: PrefsView = {
  theme: 'system',
  sound: true,
  showMessageText: true,
  launchAtLogin: false,
  shortcut: '',
  quietHours: null,
  keywords: [],
  chatMutes: {},
  dnd: false,
  environment: '',
  clientId: '',
  loopbackPort: 8765,
  proxy: '',
};

export const INFO = {
  name: 'Genesys Chat Tray',
  version: '1.0.0',
  platform: 'linux',
  mode: 'demo' as const,
  environment: 'http://127.0.0.1:4010',
};

let seq = 0;
export function message(over: Partial<MessageView> = {}): MessageView {
  seq++;
  return {
    id: `m${seq}`,
    chatId: 'room-1',
    senderId: 'u-sam',
    senderName: 'Sam Lee',
    body: `message ${seq}`,
    createdAt: 1_700_000_000_000 + seq * 60_000,
    mentions: [],
    reactions: [],
    own: false,
    pinned: false,
    ...over,
  };
}

/** The answers a signed-in popup needs, to extend per test. */
export function baseScript(over: Script = {}): Script {
  return {
    'app:get-info': INFO,
    'state:get': stateView(),
    'prefs:get': PREFS,
    'auth:regions': [
      { env: 'mypurecloud.com', label: 'Americas (US East)' },
      { env: 'mypurecloud.ie', label: 'EMEA (Dublin)' },
    ],
    'chats:list': [],
    'chat:history': { messages: [], hasMore: false },
    'chat:participants': [
      { id: 'u-me', name: 'Alex Morgan' },
      { id: 'u-sam', name: 'Sam Lee' },
      { id: 'u-sara', name: 'Sara Kim' },
    ],
    'chat:pins': { messageIds: [], messages: [], limit: 5 },
    'inbox:mark-read': null,
    'inbox:mark-all-read': null,
    ...over,
  };
}
