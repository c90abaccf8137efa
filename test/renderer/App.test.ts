// The popup skeleton's states, mounted in a DOM: connecting, demo, account, and a bridge error.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import App from '../../src/renderer/src/App.svelte';
import type { AppInfo, IpcResult, RendererBridge } from '../../src/shared/ipc/contract.ts';

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
  delete (window as unknown as Record<string, unknown>)['gct'];
});

function withBridge(answer: Promise<IpcResult<AppInfo>>): void {
  const bridge: RendererBridge = {
    invoke: () => answer as never,
    on: () => () => {},
  };
  (window as unknown as Record<string, unknown>)['gct'] = bridge;
}

const settle = async (): Promise<void> => {
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
};

const demo: AppInfo = {
  name: 'Genesys Chat Tray',
  version: '1.0.0',
  platform: 'linux',
  mode: 'demo',
  environment: 'http://127.0.0.1:4010',
};

describe('popup skeleton', () => {
  it('shows that it is connecting until the main process answers', () => {
    withBridge(new Promise(() => {}));
    app = mount(App, { target: document.body });
    flushSync();
    expect(document.body.textContent).toContain('Connecting');
    expect(document.querySelector('[data-testid="app-mode"]')).toBeNull();
  });

  it('shows the Demo badge and the demo org address in demo mode', async () => {
    withBridge(Promise.resolve({ ok: true, value: demo }));
    app = mount(App, { target: document.body });
    await settle();
    expect(document.querySelector('[data-testid="app-mode"]')?.textContent).toBe('Demo');
    expect(document.querySelector('[data-testid="app-environment"]')?.textContent).toBe(
      'http://127.0.0.1:4010',
    );
    expect(document.body.textContent).toContain('v1.0.0');
  });

  it('shows no Demo badge for a real account', async () => {
    withBridge(
      Promise.resolve({ ok: true, value: { ...demo, mode: 'account', environment: 'mypurecloud.ie' } }),
    );
    app = mount(App, { target: document.body });
    await settle();
    expect(document.querySelector('[data-testid="app-mode"]')).toBeNull();
    expect(document.body.textContent).toContain('mypurecloud.ie');
  });

  it('explains an error from the main process as text, never as markup', async () => {
    withBridge(Promise.resolve({ ok: false, error: { code: 'failed', message: '<b>boom</b>' } }));
    app = mount(App, { target: document.body });
    await settle();
    const alert = document.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe('<b>boom</b>');
    expect(alert?.querySelector('b')).toBeNull();
  });

  it('says the app bridge is missing when opened outside the app', async () => {
    app = mount(App, { target: document.body });
    await settle();
    expect(document.querySelector('[role="alert"]')?.textContent).toMatch(/bridge is missing/);
  });
});
