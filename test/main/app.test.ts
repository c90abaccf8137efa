// The main process's composition, with Electron replaced by a fake shell, the real simulator as
// the demo org, and the real store on a temp folder: tray, popup, the IPC contract, notifications.
import { afterEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src/shared/ipc/channels.ts';
import { startApp, type RunningApp } from '../../src/main/app.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import type { AppStore } from '../../src/main/store/store.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import {
  connection,
  freshStore as makeStore,
  sharedRoom as roomOf,
  startDemoApp,
  synced,
  until,
} from '../support/app-harness.ts';
import { FakeShell } from '../support/fake-shell.ts';

let app: RunningApp | null = null;
let sim: Simulator | null = null;
let store: AppStore | null = null;
afterEach(async () => {
  await app?.stop();
  store?.close();
  app = null;
  sim = null;
  store = null;
});

function freshStore(): AppStore {
  store = makeStore();
  return store;
}

async function startDemo(shell: FakeShell): Promise<RunningApp> {
  const demo = await startDemoApp(shell);
  app = demo.app;
  store = demo.store;
  sim = demo.sim();
  return app;
}

type Ok<T> = { ok: true; value: T };

describe('main process composition', () => {
  it('with no account, runs the demo org, signs in by itself and tells the popup and the tray', async () => {
    const shell = new FakeShell();
    const running = await startDemo(shell);
    const info = (await shell.invoke('app:get-info')) as Ok<Record<string, string>>;
    expect(info.value).toMatchObject({ mode: 'demo', environment: sim!.url });
    await until(() => synced(shell));
    const state = (await shell.invoke('state:get')) as Ok<{ connection: string; account: { name: string } }>;
    expect(state.value.connection).toBe('push');
    expect(state.value.account.name).toBe(sim!.demoUser.name);
    expect(JSON.stringify(state)).not.toMatch(/token/i);
    expect(shell.trays[0]?.icon).toBe('demo');
    expect(shell.trays[0]?.tooltip).toContain('Demo');
    expect(running.info().mode).toBe('demo');
  });

  it('opens one popup with the security preferences and loads the renderer', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    expect(shell.popups).toHaveLength(1);
    expect(shell.popups[0]?.prefs).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(shell.popups[0]?.loaded).toBe(1);
  });

  it('serves every channel of the contract and no other', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    expect([...shell.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('refuses IPC from anything but the popup showing the app', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    const otherWindow = await shell.invoke('state:get', undefined, { senderId: 999 });
    const navigatedAway = await shell.invoke('state:get', undefined, { senderUrl: 'https://evil.example/' });
    for (const r of [otherWindow, navigatedAway]) {
      expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(shell.logs.some((l) => l.includes('untrusted sender'))).toBe(true);
  });

  it('rejects malformed requests with an error instead of acting on them', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    const bad = [
      ['app:get-info', { unexpected: '<script>' }],
      ['action:reply', { chatId: 'x', text: '   ' }],
      ['action:reply', { chatId: 'x', text: 'hi', sneaky: true }],
      ['chat:history', { chatId: 'x', limit: 10_000 }],
      ['settings:update', {}],
      ['prefs:update', { theme: 'neon' }],
      ['link:open', { url: 42 }],
    ] as const;
    for (const [channel, request] of bad) {
      expect(await shell.invoke(channel, request), channel).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }
  });

  it('a mention becomes a native notification; clicking it opens that chat in the popup', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    await until(() => synced(shell));
    const { colleague, room } = roomOf(sim!);
    const m = sim!.control.post({
      as: colleague.email,
      room: room.jid,
      body: 'Alex, a question',
      mentions: [sim!.demoUser.id],
    });
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(m.id)));
    const note = shell.notifications.find((n) => n.n.messageIds.includes(m.id))!;
    expect(note.n).toMatchObject({
      title: `${colleague.name} in ${room.name}`,
      body: 'Alex, a question',
      silent: false,
    });
    shell.popups[0]!.visible = false;
    note.click();
    expect(shell.popups[0]!.visible).toBe(true);
    // Linux has no inline reply: the click opens the conversation with the reply box focused.
    expect(shell.popups[0]!.sent.at(-1)).toEqual({
      channel: 'nav:open-chat',
      payload: { chatId: room.jid, messageId: m.id, compose: true },
    });

    // Privacy: with message text hidden, the notification says only that something arrived.
    await shell.invoke('prefs:update', { showMessageText: false, sound: false });
    const m2 = sim!.control.post({
      as: colleague.email,
      room: room.jid,
      body: 'secret plans',
      mentions: [sim!.demoUser.id],
    });
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(m2.id)));
    expect(shell.notifications.find((n) => n.n.messageIds.includes(m2.id))!.n).toMatchObject({
      body: 'New message',
      silent: true,
    });
  });

  it("a notification's inline reply and buttons act on the message", async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    await until(() => synced(shell));
    const colleague = sim!.users.find((u) => u.id !== sim!.demoUser.id)!;
    const dm = sim!.control.post({ as: colleague.email, toUser: sim!.demoUser.id, body: 'lunch?' });
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(dm.id)));
    const note = shell.notifications.find((n) => n.n.messageIds.includes(dm.id))!;
    expect(note.n).toMatchObject({
      replyable: true,
      actions: [{ id: 'mark-read' }, { id: 'react', label: '👍' }],
    });

    note.handlers.reply('yes, 12:30');
    await until(() =>
      app!.controller.state().outbox.some((o) => o.text === 'yes, 12:30' && o.state === 'sent'),
    );
    const sent = app!.controller.state().outbox.find((o) => o.text === 'yes, 12:30')!;
    expect(sim!.control.message(sent.messageId!)).toMatchObject({ body: 'yes, 12:30' });

    note.handlers.action('react');
    await until(() => (sim!.control.message(dm.id)?.reactions ?? []).some((r) => r.emoji === '👍'));

    note.handlers.action('mark-read');
    expect(app!.controller.state().inbox.find((c) => c.chatId === colleague.id)?.unread ?? 0).toBe(0);
    expect(shell.withdrawn).toContain(dm.id);
  });

  it('a quick reply over IPC lands in the demo org', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    await until(() => synced(shell));
    const colleague = sim!.users.find((u) => u.id !== sim!.demoUser.id)!;
    const sent = (await shell.invoke('action:reply', { chatId: colleague.id, text: 'on my way' })) as Ok<{
      id: string;
      state: string;
    }>;
    expect(sent.ok).toBe(true);
    await until(() =>
      app!.controller.state().outbox.some((o) => o.id === sent.value.id && o.state === 'sent'),
    );
    const item = app!.controller.state().outbox.find((o) => o.id === sent.value.id)!;
    expect(sim!.control.message(item.messageId!)).toMatchObject({ body: 'on my way' });
    expect(await shell.invoke('action:reply', { chatId: 'not-a-chat', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'failed', message: 'That chat is not one of yours.' },
    });
  });

  it('tells the popup which chat had activity, and hides on request', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    await until(() => synced(shell));
    const { colleague, room } = roomOf(sim!);
    sim!.control.post({ as: colleague.email, room: room.jid, body: 'just chatting' });
    await until(() =>
      shell.popups[0]!.sent.some(
        (s) => s.channel === 'chat:activity' && (s.payload as { chatId: string }).chatId === room.jid,
      ),
    );
    shell.popups[0]!.visible = true;
    expect(await shell.invoke('popup:hide')).toEqual({ ok: true, value: null });
    expect(shell.popups[0]!.visible).toBe(false);
  });

  it('the tray mutes for an hour: notifications are held, then summarised when it ends', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    await until(() => synced(shell));
    const tray = shell.trays[0]!;
    tray.menuItem('mute-hour').click();
    expect(store!.get('prefs').dndUntil).toBeGreaterThan(Date.now() + 3_500_000);
    expect(tray.icon).toBe('dnd');
    expect(tray.tooltip).toContain('do not disturb');
    const colleague = sim!.users.find((u) => u.id !== sim!.demoUser.id)!;
    const dm = sim!.control.post({ as: colleague.email, toUser: sim!.demoUser.id, body: 'are you there?' });
    await until(() => app!.controller.state().held > 0);
    expect(shell.notifications.some((n) => n.n.messageIds.includes(dm.id))).toBe(false);
    tray.menuItem('unmute').click();
    expect(store!.get('prefs').dndUntil).toBeNull();
    app!.controller.engine!.updatePrefs({}); // the engine checks holds on a prefs change (and every minute)
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(dm.id)));
    expect(tray.icon).not.toBe('dnd');
  });

  it('wakes up to catch up, shows the popup on a second launch, and applies login and shortcut prefs', async () => {
    const shell = new FakeShell();
    shell.takenShortcuts.add('Alt+Space');
    await startDemo(shell);
    await until(() => synced(shell));
    expect(shell.launchAtLogin).toBe(false);
    expect(shell.shortcut?.accelerator).toBe('CommandOrControl+Shift+G');

    sim!.control.clearRequests();
    for (const wake of shell.wake) wake('resume');
    await until(() =>
      sim!.control.requests().entries.some((e) => e.path.startsWith('/api/v2/users/chats/me')),
    );

    const popup = shell.popups[0]!;
    popup.visible = false;
    for (const l of shell.secondInstance) l();
    expect(popup.visible).toBe(true);

    shell.shortcut!.handler();
    expect(popup.visible).toBe(false);
    await shell.invoke('prefs:update', { launchAtLogin: true, shortcut: 'Alt+Space' });
    expect(shell.launchAtLogin).toBe(true);
    expect(shell.logs.some((l) => l.includes('Alt+Space could not be registered'))).toBe(true);
  });

  it('opens only http(s) links, in the browser', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    expect(await shell.invoke('link:open', { url: 'https://example.com/a?b=c' })).toEqual({
      ok: true,
      value: null,
    });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@example.com/',
      'not a url',
    ]) {
      expect(await shell.invoke('link:open', { url })).toMatchObject({
        ok: false,
        error: { code: 'failed' },
      });
    }
    expect(shell.opened).toEqual(['https://example.com/a?b=c']);
  });

  it('toggles the popup from the tray and quits from its menu', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    const tray = shell.trays[0]!;
    const popup = shell.popups[0]!;
    tray.click();
    expect(popup.visible).toBe(true);
    tray.click();
    expect(popup.visible).toBe(false);
    tray.menuItem('open').click();
    expect(popup.visible).toBe(true);
    tray.menuItem('quit').click();
    expect(shell.quitCalls).toBe(1);
  });

  it('with an account configured, starts no demo org and waits for sign-in', async () => {
    const shell = new FakeShell();
    const s = freshStore();
    s.update('prefs', (p) => ({ ...p, environment: 'mypurecloud.ie', clientId: 'abc' }));
    let demoStarted = false;
    app = await startApp({
      shell,
      store: s,
      preloadPath: '/p.cjs',
      keyring: () => createMemorySecretStore(),
      startDemoOrg: async () => {
        demoStarted = true;
        throw new Error('must not start');
      },
    });
    await app.ready;
    expect(demoStarted).toBe(false);
    expect(app.info()).toMatchObject({ mode: 'account', environment: 'mypurecloud.ie' });
    expect(connection(shell)).toBe('signed-out');
    expect(shell.trays[0]?.icon).toBe('signin');
    expect(shell.trays[0]?.tooltip).toContain('not signed in');
  });
});
