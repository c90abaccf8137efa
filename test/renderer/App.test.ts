// The popup's views mounted in a DOM over a scripted bridge: loading, sign-in, inbox, settings,
// banners, theme and navigation.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import App from '../../src/renderer/src/App.svelte';
import type { InboxChatView, PrefsView } from '../../src/shared/ipc/contract.ts';
import {
  baseScript,
  INFO,
  installFakeBridge,
  PREFS,
  removeBridge,
  settle,
  stateView,
} from './fake-bridge.ts';

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
  delete document.documentElement.dataset.theme;
  removeBridge();
});

async function open(): Promise<void> {
  app = mount(App, { target: document.body });
  await settle();
}
const $ = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);
const text = (): string => document.body.textContent ?? '';
const button = (label: string | RegExp): HTMLButtonElement => {
  const b = [...document.querySelectorAll('button')].find((x) =>
    typeof label === 'string'
      ? x.textContent?.trim() === label || x.getAttribute('aria-label') === label
      : label.test(x.textContent ?? ''),
  );
  if (!b) throw new Error(`no button ${String(label)}`);
  return b;
};
const click = async (el: HTMLElement): Promise<void> => {
  el.click();
  await settle();
};
const key = async (k: string, target: EventTarget = window): Promise<void> => {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  await settle();
};

function inboxChat(n: number, over: Partial<InboxChatView> = {}): InboxChatView {
  return {
    chatId: `room-${n}`,
    chatName: `Room ${n}`,
    chatKind: 'room',
    unread: 1,
    latestAt: 1_700_000_000_000 + n * 1000,
    items: [
      {
        id: `i-${n}`,
        messageId: `m-${n}`,
        chatId: `room-${n}`,
        chatName: `Room ${n}`,
        chatKind: 'room',
        kind: 'mention',
        senderId: 'u-sam',
        senderName: 'Sam Lee',
        text: `@Alex Morgan please look at **item ${n}**`,
        at: 1_700_000_000_000 + n * 1000,
        read: false,
      },
    ],
    ...over,
  };
}

describe('loading', () => {
  it('shows that it is connecting until the main process answers', async () => {
    installFakeBridge({
      'app:get-info': () => new Promise(() => {}),
      'state:get': () => new Promise(() => {}),
    });
    app = mount(App, { target: document.body });
    flushSync();
    expect(text()).toContain('Connecting');
  });

  it('explains an error from the main process as text, never as markup', async () => {
    installFakeBridge(baseScript({ 'app:get-info': new Error('<b>boom</b>') }));
    await open();
    expect($('[role="alert"]')?.textContent).toBe('<b>boom</b>');
    expect($('[role="alert"] b')).toBeNull();
  });

  it('says the app bridge is missing when opened outside the app', async () => {
    await open();
    expect($('[role="alert"]')?.textContent).toMatch(/bridge is missing/);
  });

  it('shows the Demo badge in demo mode and none for an account', async () => {
    installFakeBridge(baseScript());
    await open();
    expect($('[data-testid="app-mode"]')?.textContent).toBe('Demo');
    unmount(app!);
    installFakeBridge(
      baseScript({ 'app:get-info': { ...INFO, mode: 'account' }, 'state:get': stateView({ demo: false }) }),
    );
    await open();
    expect($('[data-testid="app-mode"]')).toBeNull();
  });
});

describe('sign-in', () => {
  const signedOut = (): ReturnType<typeof baseScript> =>
    baseScript({ 'state:get': stateView({ connection: 'signed-out', account: null, demo: false }) });
  /** An account (not the demo org) in `connection`. */
  const account = (connection: 'signing-in' | 'needs-sign-in'): ReturnType<typeof baseScript> =>
    baseScript({
      'app:get-info': { ...INFO, mode: 'account', environment: 'mypurecloud.ie' },
      'state:get': stateView({ connection, demo: false, environment: 'mypurecloud.ie' }),
    });

  it('offers the regions, a custom environment, the client id and the default port', async () => {
    installFakeBridge(signedOut());
    await open();
    const select = $<HTMLSelectElement>('select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Americas (US East)',
      'EMEA (Dublin)',
      'Custom environment…',
    ]);
    expect($<HTMLInputElement>('input[type="number"]')?.value).toBe('8765');
    select.options[2]!.selected = true;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect($('input[type="url"]')).not.toBeNull();
  });

  it('signs in with what was entered, and shows the error from main in words', async () => {
    const bridge = installFakeBridge({
      ...signedOut(),
      'auth:sign-in': new Error('The client id was refused.'),
    });
    await open();
    const input = $<HTMLInputElement>('input[type="text"]')!;
    input.value = ' my-client ';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await click(button('Sign in with Genesys Cloud'));
    expect(bridge.callsTo('auth:sign-in')).toEqual([
      { environment: 'mypurecloud.com', clientId: 'my-client', loopbackPort: 8765 },
    ]);
    expect($('[role="alert"]')?.textContent).toBe('The client id was refused.');
  });

  it('asks for a client id before calling main', async () => {
    const bridge = installFakeBridge(signedOut());
    await open();
    await click(button('Sign in with Genesys Cloud'));
    expect($('[role="alert"]')?.textContent).toMatch(/client id/);
    expect(bridge.callsTo('auth:sign-in')).toEqual([]);
  });

  it('shows progress with Cancel while signing in', async () => {
    const bridge = installFakeBridge({ ...account('signing-in'), 'auth:cancel-sign-in': null });
    await open();
    expect($('[role="status"]')?.textContent).toContain('browser');
    await click(button('Cancel'));
    expect(bridge.callsTo('auth:cancel-sign-in')).toHaveLength(1);
  });

  it('explores the demo org', async () => {
    const bridge = installFakeBridge({ ...signedOut(), 'auth:use-demo': null });
    await open();
    await click(button('Explore the demo org'));
    expect(bridge.callsTo('auth:use-demo')).toHaveLength(1);
  });

  it('shows the sign-in view with a banner when the session ended', async () => {
    installFakeBridge(account('needs-sign-in'));
    await open();
    expect($('[data-testid="banner"]')?.textContent).toMatch(/Sign in again/);
    expect(button('Sign in with Genesys Cloud')).toBeTruthy();
  });

  it('in the demo org, a session that ended leads back to the demo, never to the sign-in form', async () => {
    const bridge = installFakeBridge(baseScript({ 'state:get': stateView({ connection: 'needs-sign-in' }) }));
    await open();
    expect($('[data-testid="banner"]')?.textContent?.trim()).toBe(
      'The demo session ended. Signing in again…',
    );
    expect($('[data-testid="tab-inbox"]')).not.toBeNull();
    expect(text()).not.toContain('OAuth client id');
    bridge.emit('state:changed', stateView({ connection: 'signing-in' }));
    await settle();
    expect($('[data-testid="banner"]')?.textContent?.trim()).toBe('Signing in to the demo org…');
    expect(text()).not.toContain('OAuth client id');
    bridge.emit('state:changed', stateView({ connection: 'push' }));
    await settle();
    expect($('[data-testid="banner"]')).toBeNull();
    // Signing out of the demo on purpose is the way to the sign-in view.
    bridge.emit('state:changed', stateView({ connection: 'signed-out', account: null }));
    await settle();
    expect(button('Sign in with Genesys Cloud')).toBeTruthy();
  });
});

describe('banner', () => {
  it.each([
    ['offline', /offline/],
    ['polling', /Live updates paused, checking every few seconds/],
    ['connecting', /Connecting/],
  ] as const)('explains %s, politely', async (connection, words) => {
    installFakeBridge(baseScript({ 'state:get': stateView({ connection }) }));
    await open();
    expect($('[aria-live="polite"] [data-testid="banner"]')?.textContent).toMatch(words);
  });

  it('follows state:changed and disappears when live again', async () => {
    const bridge = installFakeBridge(baseScript());
    await open();
    expect($('[data-testid="banner"]')).toBeNull();
    bridge.emit('state:changed', stateView({ connection: 'offline' }));
    expect($('[data-testid="banner"]')).not.toBeNull();
    bridge.emit('state:changed', stateView({ connection: 'push' }));
    expect($('[data-testid="banner"]')).toBeNull();
  });
});

describe('inbox', () => {
  it('says you are all caught up when empty', async () => {
    installFakeBridge(baseScript());
    await open();
    expect($('[data-testid="inbox-empty"]')?.textContent).toContain("You're all caught up");
  });

  it('groups by chat, newest first, with sender, kind, plain text and unread counts', async () => {
    installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(1), inboxChat(2)], unread: 2 }) }),
    );
    await open();
    const chats = [...document.querySelectorAll('[role="list"] > [role="listitem"]')];
    expect(chats.map((c) => c.querySelector('.name')?.textContent)).toEqual(['Room 2', 'Room 1']);
    expect(chats[0]?.textContent).toContain('Sam Lee');
    expect(chats[0]?.textContent).toContain('mention');
    expect(chats[0]?.querySelector('.text')?.textContent).toBe('@Alex Morgan please look at item 2');
    expect(chats[0]?.querySelector('.count')?.textContent).toBe('1');
  });

  it('shows many items compactly and long text clamped', async () => {
    const long = 'word '.repeat(2000);
    const many = Array.from({ length: 60 }, (_, i) => inboxChat(i + 1));
    const first = many[59]!;
    first.items = Array.from({ length: 8 }, (_, i) => ({
      ...first.items[0]!,
      id: `x${i}`,
      text: long,
      at: i,
    }));
    installFakeBridge(baseScript({ 'state:get': stateView({ inbox: many, unread: 67 }) }));
    await open();
    expect(document.querySelectorAll('[role="listitem"]')).toHaveLength(60);
    expect(document.querySelectorAll('[role="listitem"]')[0]?.querySelectorAll('.item')).toHaveLength(3);
    expect(text()).toContain('+5 more');
  });

  it('marks all read', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(1)], unread: 1 }) }),
    );
    await open();
    await click(button('Mark all read'));
    expect(bridge.callsTo('inbox:mark-all-read')).toHaveLength(1);
  });

  it('opens a chat, marks it read, and Escape goes back', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(1)], unread: 1 }) }),
    );
    await open();
    await click($('[data-testid="inbox-chat"]')!);
    expect($('#conversation-title')?.textContent).toBe('Room 1');
    expect(bridge.callsTo('inbox:mark-read')).toEqual([{ chatId: 'room-1' }]);
    expect(bridge.callsTo('chat:history')[0]).toEqual({ chatId: 'room-1', limit: 30 });
    await key('Escape');
    expect($('#conversation-title')).toBeNull();
    expect($('[data-testid="inbox"]')).not.toBeNull();
  });

  it('lists all chats to start from any of them; a failed list offers a retry', async () => {
    let fail = true;
    installFakeBridge(
      baseScript({
        'chats:list': () =>
          fail
            ? new Error('Chats could not be loaded.')
            : [{ id: 'u-sam', kind: 'oneOnOne', name: 'Sam Lee', muted: false }],
      }),
    );
    await open();
    await click($('[data-testid="tab-chats"]')!);
    expect($('[role="alert"]')?.textContent).toBe('Chats could not be loaded.');
    fail = false;
    await click(button('Try again'));
    await click(button(/Sam Lee/));
    expect($('#conversation-title')?.textContent).toBe('Sam Lee');
  });

  it('opens the chat a notification asks for', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(3)], unread: 1 }) }),
    );
    await open();
    bridge.emit('nav:open-chat', { chatId: 'room-3', messageId: 'm-3' });
    await settle();
    expect($('#conversation-title')?.textContent).toBe('Room 3');
    expect(document.activeElement?.tagName).not.toBe('TEXTAREA');
  });

  it('opens the quick-reply view (the reply box focused) when a notification asks to compose', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(3)], unread: 1 }) }),
    );
    await open();
    bridge.emit('nav:open-chat', { chatId: 'room-3', messageId: 'm-3', compose: true });
    await settle();
    expect($('#conversation-title')?.textContent).toBe('Room 3');
    expect(document.activeElement?.tagName).toBe('TEXTAREA');
  });

  it('opens the settings when the tray menu asks', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'state:get': stateView({ inbox: [inboxChat(3)], unread: 1 }) }),
    );
    await open();
    await click($('[data-testid="inbox-chat"]')!);
    bridge.emit('nav:open-settings', {});
    await settle();
    expect($('#settings-title')).not.toBeNull();
    bridge.emit('nav:open-settings', {});
    await settle();
    expect($('#settings-title')).not.toBeNull();
  });
});

describe('settings', () => {
  async function openSettings(script = baseScript()): Promise<ReturnType<typeof installFakeBridge>> {
    const bridge = installFakeBridge(script);
    await open();
    await click($('[data-testid="open-settings"]')!);
    return bridge;
  }

  it('shows the server settings and changes one', async () => {
    const bridge = await openSettings(
      baseScript({ 'settings:update': { muted: true, mentionsOnly: false, notifyOnReactions: true } }),
    );
    const muted = $<HTMLInputElement>('[data-testid="setting-muted"]')!;
    expect(muted.getAttribute('role')).toBe('switch');
    expect(muted.checked).toBe(false);
    await click(muted);
    expect(bridge.callsTo('settings:update')).toEqual([{ muted: true }]);
  });

  it('shows saving, and the rolled-back value with the error', async () => {
    const bridge = await openSettings();
    const value = { muted: false, mentionsOnly: false, notifyOnReactions: true };
    bridge.emit(
      'state:changed',
      stateView({ settings: { value: { ...value, muted: true }, sync: 'saving' } }),
    );
    expect($('[data-testid="settings-sync"]')?.textContent).toContain('Saving');
    expect($<HTMLInputElement>('[data-testid="setting-muted"]')?.disabled).toBe(true);
    bridge.emit(
      'state:changed',
      stateView({ settings: { value, sync: 'error', error: 'Service unavailable' } }),
    );
    expect($('[data-testid="settings-sync"] [role="alert"]')?.textContent).toContain('Service unavailable');
    expect($<HTMLInputElement>('[data-testid="setting-muted"]')?.checked).toBe(false);
  });

  it('updates prefs and applies the theme to <html>', async () => {
    const bridge = await openSettings(
      baseScript({ 'prefs:update': (change) => ({ ...PREFS, ...change }) as typeof PREFS }),
    );
    const theme = $<HTMLSelectElement>('[data-testid="pref-theme"]')!;
    theme.value = 'dark';
    theme.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(bridge.callsTo('prefs:update')).toEqual([{ theme: 'dark' }]);
    expect(document.documentElement.dataset.theme).toBe('dark');

    const keywords = $<HTMLInputElement>('[data-testid="pref-keywords"]')!;
    keywords.value = 'outage, deploy,, outage ';
    keywords.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(bridge.callsTo('prefs:update').at(-1)).toEqual({ keywords: ['outage', 'deploy'] });

    await click($('[data-testid="pref-quiet"]')!);
    expect(bridge.callsTo('prefs:update').at(-1)).toEqual({ quietHours: { start: '22:00', end: '07:00' } });
    expect(document.querySelectorAll('input[type="time"]')).toHaveLength(2);
  });

  it('shows who is signed in and signs out', async () => {
    const bridge = await openSettings(baseScript({ 'auth:sign-out': null }));
    expect($('[data-testid="account-name"]')?.textContent).toBe('Alex Morgan');
    await click(button('Sign out'));
    expect(bridge.callsTo('auth:sign-out')).toHaveLength(1);
    await key('Escape');
    expect($('#settings-title')).toBeNull();
  });
});

describe('escape', () => {
  it('hides the popup on the first view', async () => {
    const bridge = installFakeBridge(baseScript({ 'popup:hide': null }));
    await open();
    await key('Escape');
    expect(bridge.callsTo('popup:hide')).toHaveLength(1);
  });

  it('goes back from All chats, a conversation, a thread and settings before hiding', async () => {
    const root = {
      id: 'm-root',
      chatId: 'room-1',
      senderId: 'u-sam',
      senderName: 'Sam Lee',
      body: 'root',
      createdAt: 1,
      mentions: [],
      reactions: [],
      own: false,
      pinned: false,
    };
    const bridge = installFakeBridge(
      baseScript({
        'popup:hide': null,
        'state:get': stateView({ inbox: [inboxChat(1)], unread: 1 }),
        'chat:history': { messages: [root, { ...root, id: 'm-reply', threadId: 'm-root' }], hasMore: false },
        'chat:thread': { messages: [root] },
      }),
    );
    await open();
    await click($('[data-testid="tab-chats"]')!);
    await key('Escape');
    expect($('[data-testid="tab-inbox"]')?.getAttribute('aria-pressed')).toBe('true');

    await click($('[data-testid="inbox-chat"]')!);
    await click($('[data-testid="view-thread"]')!);
    expect($('[data-testid="thread-title"]')).not.toBeNull();
    await key('Escape');
    expect($('[data-testid="thread-title"]')).toBeNull();
    expect($('#conversation-title')?.textContent).toBe('Room 1');
    await key('Escape');
    expect($('#conversation-title')).toBeNull();

    await click($('[data-testid="open-settings"]')!);
    await key('Escape');
    expect($('#settings-title')).toBeNull();
    expect(bridge.callsTo('popup:hide')).toHaveLength(0);
    await key('Escape');
    expect(bridge.callsTo('popup:hide')).toHaveLength(1);
  });

  it('closes an open menu first, without going back or hiding', async () => {
    const bridge = installFakeBridge(
      baseScript({ 'popup:hide': null, 'state:get': stateView({ inbox: [inboxChat(1)], unread: 1 }) }),
    );
    await open();
    await click($('[data-testid="inbox-chat"]')!);
    await click($('[data-testid="mute-button"]')!);
    await key('Escape', $('[data-testid="mute-menu"]')!);
    expect($('[data-testid="mute-menu"]')).toBeNull();
    expect($('#conversation-title')).not.toBeNull();
    expect(bridge.callsTo('popup:hide')).toHaveLength(0);
  });
});

describe('mutes and quiet hours', () => {
  it('shows app-muted chats in All chats, expired mutes not', async () => {
    installFakeBridge(
      baseScript({
        'prefs:get': { ...PREFS, chatMutes: { 'room-1': {}, 'room-2': { until: Date.now() - 1 } } },
        'chats:list': [
          { id: 'room-1', kind: 'room', name: 'Support', muted: true },
          { id: 'room-2', kind: 'room', name: 'Random', muted: true },
          { id: 'room-3', kind: 'room', name: 'Ops', muted: false },
        ],
      }),
    );
    await open();
    await click($('[data-testid="tab-chats"]')!);
    const muted = [...document.querySelectorAll('[data-testid="chat-list"] button')]
      .filter((b) => b.querySelector('[data-testid="chat-muted"]'))
      .map((b) => b.querySelector('.name')?.textContent);
    expect(muted).toEqual(['Support']);
  });

  it('lists muted chats in settings and unmutes one', async () => {
    let prefs: PrefsView = {
      ...PREFS,
      chatMutes: { 'room-1': {}, 'room-2': { until: Date.now() + 3_600_000 } },
    };
    const bridge = installFakeBridge(
      baseScript({
        'prefs:get': () => prefs,
        'prefs:update': (change) => (prefs = { ...prefs, ...change }),
        'chats:list': [
          { id: 'room-1', kind: 'room', name: 'Support', muted: true },
          { id: 'room-2', kind: 'room', name: 'Random', muted: true },
        ],
      }),
    );
    await open();
    await click($('[data-testid="open-settings"]')!);
    const list = (): string => $('[data-testid="muted-chats"]')?.textContent ?? '';
    expect(list()).toContain('Support');
    expect(list()).toContain('until you unmute');
    expect(list()).toMatch(/Random\s+until/);
    await click(button('Unmute Support'));
    expect(bridge.callsTo('prefs:update')).toEqual([{ chatMutes: { 'room-2': prefs.chatMutes['room-2'] } }]);
    expect(list()).not.toContain('Support');
  });

  it('toggles quiet-hours weekdays', async () => {
    let prefs = { ...PREFS, quietHours: { start: '22:00', end: '07:00' } as PrefsQuiet };
    const bridge = installFakeBridge(
      baseScript({
        'prefs:get': () => prefs,
        'prefs:update': (change) => (prefs = { ...prefs, ...change } as typeof prefs),
      }),
    );
    await open();
    await click($('[data-testid="open-settings"]')!);
    const day = (name: string): HTMLButtonElement => button(name);
    expect(day('Sunday').getAttribute('aria-pressed')).toBe('true');
    await click(day('Sunday'));
    expect(bridge.callsTo('prefs:update').at(-1)).toEqual({
      quietHours: { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5, 6] },
    });
    expect(day('Sunday').getAttribute('aria-pressed')).toBe('false');
    await click(day('Saturday'));
    expect(bridge.callsTo('prefs:update').at(-1)).toEqual({
      quietHours: { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] },
    });
    await click(day('Sunday'));
    await click(day('Saturday'));
    expect(bridge.callsTo('prefs:update').at(-1)).toEqual({ quietHours: { start: '22:00', end: '07:00' } });
  });
});

type PrefsQuiet = NonNullable<typeof PREFS.quietHours>;
