// The composition's answers to the desktop: the popup's renderer released after a while hidden and
// made again on demand, the tray menu's settings item and unread count, network changes, the OS's
// do-not-disturb holding notifications for a digest, and notification activations that arrive alone
// (Windows' Action Center, a cold start). Fake shell, real simulator, real store.
import { afterEach, describe, expect, it } from 'vitest';
import { fit } from '../../src/main/ipc/views.ts';
import { sharedRoom, startDemoApp, synced, until, type DemoApp } from '../support/app-harness.ts';
import { FakeShell } from '../support/fake-shell.ts';

let demo: DemoApp | null = null;
afterEach(async () => {
  await demo?.stop();
  demo = null;
});

type Result = { ok: boolean; error?: { code: string } };

async function mention(d: DemoApp, shell: FakeShell, body: string): Promise<string> {
  const sim = d.sim();
  const { colleague, room } = sharedRoom(sim);
  const m = sim.control.post({ as: colleague.email, room: room.jid, body, mentions: [sim.demoUser.id] });
  return m.id;
}

describe('desktop shell composition', () => {
  it('releases the hidden popup after a while and makes it again, with its navigation, on demand', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell, { popupReleaseMs: 60 });
    const app = demo.app;
    await until(() => app.controller.state().connection === 'push', 'push', 5000);
    // Hidden since start, the first popup was released already; opening makes one again.
    await until(() => app.popup.releases === 1, 'the unused popup to be released', 2000);
    app.popup.show();
    await until(() => shell.popups.length === 2 && shell.popup.visible, 'the popup', 2000);
    const first = shell.popup;
    await new Promise((r) => setTimeout(r, 120));
    expect(first.destroyed).toBe(false); // visible: kept

    first.hide();
    await until(() => first.destroyed, 'the hidden popup to be released', 2000);
    expect(shell.popups).toHaveLength(2);
    expect(app.popup.releases).toBe(2);
    // Events while released go nowhere (state is read again on load); the old id is refused.
    const stale = (await shell.invoke('state:get', undefined, { senderId: first.webContentsId })) as Result;
    expect(stale).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // A notification click while released: a new popup opens on that chat.
    const id = await mention(demo, shell, 'Alex, while you were away');
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(id)));
    shell.notifications.find((n) => n.n.messageIds.includes(id))!.handlers.click();
    await until(() => shell.popups.length === 3 && shell.popup.visible, 'a new popup', 2000);
    const second = shell.popup;
    expect(second.loaded).toBe(1);
    expect(second.prefs).toEqual(first.prefs);
    expect(second.events('nav:open-chat')).toEqual([expect.objectContaining({ messageId: id })]);
    // The new renderer is the trusted sender now.
    expect(((await shell.invoke('state:get')) as Result).ok).toBe(true);
  });

  it('makes a new popup when the OS closed it (or its renderer crashed)', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell, { popupReleaseMs: 0 });
    shell.popup.close();
    shell.trays[0]!.click();
    await until(() => shell.popups.length === 2 && shell.popup.visible);
  });

  it('the tray menu opens the settings, and the tray shows the unread count', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell);
    await until(() => synced(shell));
    const tray = shell.trays[0]!;
    expect(tray.menu.map((i) => i.id)).toEqual([
      'open',
      'mute-hour',
      'mute-tomorrow',
      'settings',
      'sign-out',
      'quit',
    ]);
    shell.popup.hide();
    tray.menuItem('settings').click();
    expect(shell.popup.visible).toBe(true);
    expect(shell.popup.events('nav:open-settings')).toEqual([{}]);

    await shell.invoke('inbox:mark-all-read');
    await until(() => tray.count === 0, 'no unread', 5000);
    await mention(demo, shell, 'count me');
    await until(() => tray.count === 1, 'one unread', 5000);
    await shell.invoke('inbox:mark-all-read');
    await until(() => tray.count === 0, 'the count to clear', 5000);
  });

  it('the OS do-not-disturb holds notifications, then sums them up when it ends', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell);
    await until(() => synced(shell));
    for (const l of shell.systemDnd) l(true);
    expect(shell.trays[0]!.icon).toBe('dnd');
    const id = await mention(demo, shell, 'during focus time');
    await until(() => shell.logs.some((l) => l.includes('system do-not-disturb on')));
    await new Promise((r) => setTimeout(r, 300));
    expect(shell.notifications.filter((n) => n.n.messageIds.includes(id))).toHaveLength(0);

    for (const l of shell.systemDnd) l(false);
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(id)), 'the digest', 5000);
    const shown = shell.notifications.filter((n) => n.n.messageIds.includes(id));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.n.tag).toMatch(/^digest:/);
    expect(shell.trays[0]!.icon).not.toBe('dnd');
  });

  it('a message longer than the popup accepts opens shortened, and its chat still opens', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell);
    await until(() => synced(shell));
    const sim = demo.sim();
    const { colleague, room } = sharedRoom(sim);
    const huge = `${'🙂'.repeat(10_000)}x${'y'.repeat(30_000)}`;
    sim.control.post({ as: colleague.email, room: room.jid, body: huge });
    const res = (await shell.invoke('chat:history', { chatId: room.jid })) as {
      ok: boolean;
      value: { messages: { body: string }[] };
    };
    expect(res.ok).toBe(true);
    const body = res.value.messages.at(-1)!.body;
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body.endsWith('… [message shortened]')).toBe(true);
    expect(body.startsWith('🙂🙂')).toBe(true);
    expect(fit('🙂🙂🙂', 24)).toBe('🙂🙂🙂');
    expect(fit(`a${'🙂'.repeat(20)}`, 23)).toBe('a… [message shortened]'); // no half emoji left
    expect(fit(`a${'🙂'.repeat(20)}`, 24)).toBe('a🙂… [message shortened]');
  });

  it('network loss probes the socket; its return catches up', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell);
    await until(() => synced(shell));
    const sim = demo.sim();
    for (const l of shell.network) l(false);
    expect(shell.logs).toContain('network lost');
    sim.control.clearRequests();
    for (const l of shell.network) l(true);
    expect(shell.logs).toContain('network back');
    // Catching up reads the roster again.
    await until(() => sim.control.requests().entries.some((e) => e.path.includes('/chats')), 'a catch-up');
  });

  it('on Windows, an Action Center reply that arrives alone goes into the outbox (also before the engine is up)', async () => {
    const shell = new FakeShell({ platform: 'win32' });
    demo = await startDemoApp(shell, { ready: false });
    expect(shell.activations).toHaveLength(1);
    const activate = shell.activations[0]!;
    // Cold start: the reply that launched the app arrives before the engine has read the chats.
    const started = demo;
    await until(() => {
      try {
        return !!started.sim();
      } catch {
        return false;
      }
    });
    const sim = demo.sim();
    const { room } = sharedRoom(sim);
    expect(demo.app.controller.state().lastSyncAt).toBeNull();
    activate({
      kind: 'reply',
      chatId: room.jid,
      messageId: 'from-before',
      text: 'answered from the Action Center',
    });
    await until(() => sentBodies(demo!).includes('answered from the Action Center'), 'the reply', 5000);
    const id = await mention(demo, shell, 'ping from windows');
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(id)));

    // A click opens the chat; Windows has an inline reply, so the reply box is not forced open.
    shell.popup.hide();
    activate({ kind: 'click', chatId: room.jid, messageId: id });
    await until(() => shell.popup.visible);
    expect(shell.popup.events('nav:open-chat').at(-1)).toEqual({ chatId: room.jid, messageId: id });
    // A forged activation for a chat the user is not in acts on nothing.
    activate({ kind: 'reply', chatId: 'nope@conference.example', messageId: 'x', text: 'should not send' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sentBodies(demo)).toEqual(['answered from the Action Center']);
  });
});

/** The bodies of the replies the outbox has delivered, as the simulator stored them. */
function sentBodies(d: DemoApp): string[] {
  return d.app.controller
    .state()
    .outbox.filter((o) => o.kind === 'reply' && o.state === 'sent' && o.messageId)
    .map((o) => d.sim().control.message(o.messageId!)?.body ?? '');
}
