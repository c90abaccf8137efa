// The app with an account whose session ends (no refresh token for a PKCE client, the default of
// strict Genesys orgs): one native notification for the ending, however many requests and actions
// fail; a click opens the popup; signing in again takes it back and sends what the user queued.
// The demo org instead signs in again by itself and says nothing.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main/app.ts';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { SESSION_ENDED_TAG } from '../../src/main/notify/desktop.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { connection, freshStore, startDemoApp, synced, until } from '../support/app-harness.ts';
import { FakeShell } from '../support/fake-shell.ts';

let sim: Simulator;
let app: RunningApp | null = null;

beforeAll(async () => {
  sim = await startSimulator({ seed: 41, quiet: true, issueRefreshTokens: false });
});
afterEach(async () => {
  await app?.stop();
  app = null;
});
afterAll(() => sim.close());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Plays the user's browser: every sign-in page the app opens is approved by the simulator. */
function browser(shell: FakeShell): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    while (seen < shell.opened.length) void followAuthorizeRedirect(shell.opened[seen++]!).catch(() => {});
  }, 20);
  return () => clearInterval(timer);
}

const sessionNotes = (shell: FakeShell): FakeShell['notifications'] =>
  shell.notifications.filter((x) => x.n.tag === SESSION_ENDED_TAG);

describe('app: the session ends', () => {
  it('says it once with a native notification, and signing in again sends what waited', async () => {
    const shell = new FakeShell();
    const stopBrowser = browser(shell);
    const store = freshStore();
    const keyring = createMemorySecretStore(); // one, as the OS keyring: the stale tokens stay in it
    app = await startApp({
      shell,
      store,
      preloadPath: '/p.cjs',
      keyring: () => keyring,
      startDemoOrg: () => Promise.reject(new Error('no demo here')),
    });
    try {
      const request = { environment: sim.url, clientId: 'gct-app-test', loopbackPort: await freePort() };
      await app.controller.signIn(request);
      await until(() => synced(shell), 'push', 8000);
      expect(app.info().mode).toBe('account');

      sim.control.expireTokens(sim.demoUser.id);
      await until(() => connection(shell) === 'needs-sign-in', 'needs-sign-in', 8000);
      const engine = app.controller.engine!;
      const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!;
      const chat = engine.chat(colleague.id)!;
      for (const text of ['one', 'two', 'three'])
        await engine.act({ kind: 'reply', chat, text: `waiting ${text}` });
      engine.resync('online');
      shell.wake.forEach((l) => l('resume'));
      await new Promise((r) => setTimeout(r, 800));
      expect(sessionNotes(shell)).toHaveLength(1);
      expect(sessionNotes(shell)[0]!.n).toMatchObject({
        title: 'Signed out of Genesys Cloud',
        replyable: false,
      });

      shell.popups[0]!.hide();
      sessionNotes(shell)[0]!.click();
      expect(shell.popups[0]!.visible).toBe(true);
      // The same click from Windows' Action Center (no handlers): the popup, never a "chat".
      shell.popups[0]!.hide();
      const target = { chatId: SESSION_ENDED_TAG, messageId: SESSION_ENDED_TAG };
      for (const l of shell.activations) l({ kind: 'click', ...target });
      await until(() => shell.popups[0]!.visible, 'the popup', 2000);
      expect(shell.popups[0]!.events('nav:open-chat')).toEqual([]);

      await app.controller.signIn(request);
      await until(() => synced(shell), 'push again', 8000);
      // Signing in builds the account's engine again; it took up the queue from the store.
      const signedIn = app.controller.engine!;
      await until(() => signedIn.state.get().outbox.every((o) => o.state === 'sent'), 'sent', 8000);
      expect(signedIn.state.get().outbox.map((o) => o.text)).toEqual([
        'waiting one',
        'waiting two',
        'waiting three',
      ]);
      expect(sessionNotes(shell)).toHaveLength(1);
      expect(shell.withdrawn).toContain(SESSION_ENDED_TAG);

      // A later ending is a new one: said once more.
      sim.control.expireTokens(sim.demoUser.id);
      await until(() => connection(shell) === 'needs-sign-in', 'needs-sign-in again', 8000);
      await new Promise((r) => setTimeout(r, 300));
      expect(sessionNotes(shell)).toHaveLength(2);
    } finally {
      stopBrowser();
    }
  }, 40_000);

  it('in the demo org, signs in again by itself: no sign-in form, no notification', async () => {
    const shell = new FakeShell();
    const demo = await startDemoApp(shell);
    app = demo.app;
    await until(() => synced(shell), 'push', 8000);
    const states: string[] = [];
    app.controller.onState((s) => states.push(s.connection));
    demo.sim().control.revokeTokens(demo.sim().demoUser.id);
    await until(() => states.includes('needs-sign-in') || states.includes('signing-in'), 'the ending', 8000);
    await until(() => synced(shell) && states.at(-1) === 'push', 'the demo back', 8000);
    expect(app.info().mode).toBe('demo');
    expect(sessionNotes(shell)).toEqual([]);
  }, 30_000);
});
