// The main process's composition, with Electron replaced by a fake shell and the real simulator
// as the demo org: tray, popup, and the IPC round trip the popup makes on start.
import { afterEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src/shared/ipc/channels.ts';
import { startApp, type RunningApp } from '../../src/main/app.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { FakeShell } from '../support/fake-shell.ts';

let app: RunningApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

async function startDemo(shell: FakeShell): Promise<RunningApp> {
  app = await startApp({
    shell,
    preloadPath: '/app/out/preload/index.cjs',
    account: null,
    startDemoOrg: async () => {
      const sim = await startSimulator({ port: 0, seed: 7, quiet: true });
      return { url: sim.url, close: () => sim.close() };
    },
  });
  return app;
}

describe('main process composition', () => {
  it('with no account, runs against the embedded demo org and says so', async () => {
    const shell = new FakeShell();
    const running = await startDemo(shell);
    const result = (await shell.invoke('app:get-info')) as { ok: boolean; value: Record<string, string> };
    expect(result.ok).toBe(true);
    expect(result.value['mode']).toBe('demo');
    expect(result.value['environment']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The demo org answers like Genesys Cloud would, on the URL the popup shows.
    const res = await fetch(`${running.info().environment}/api/v2/users/me`);
    expect(res.status).toBe(401);
    expect(shell.trays[0]?.icon).toBe('demo');
    expect(shell.trays[0]?.tooltip).toContain('Demo');
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
    const otherWindow = await shell.invoke('app:get-info', undefined, { senderId: 999 });
    const navigatedAway = await shell.invoke('app:get-info', undefined, {
      senderUrl: 'https://evil.example/',
    });
    for (const r of [otherWindow, navigatedAway]) {
      expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(shell.logs.some((l) => l.includes('untrusted sender'))).toBe(true);
  });

  it('rejects a malformed request with an error instead of acting on it', async () => {
    const shell = new FakeShell();
    await startDemo(shell);
    const r = await shell.invoke('app:get-info', { unexpected: '<script>' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
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

  it('in account mode starts no demo org', async () => {
    const shell = new FakeShell();
    let demoStarted = false;
    app = await startApp({
      shell,
      preloadPath: '/p.cjs',
      account: { environment: 'mypurecloud.ie' },
      startDemoOrg: async () => {
        demoStarted = true;
        throw new Error('must not start');
      },
    });
    expect(demoStarted).toBe(false);
    expect(app.info()).toMatchObject({ mode: 'account', environment: 'mypurecloud.ie' });
    expect(shell.trays[0]?.icon).toBe('idle');
  });
});
