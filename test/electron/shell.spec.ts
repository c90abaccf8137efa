// The desktop shell in the real runtime (Playwright `_electron`, the BUILT app on its demo org):
// the popup opened without the tray (a second launch shows it), a colleague's mention raising a
// native notification, and a quick reply typed into that notification landing in the org.
// Electron's Notification is observed from the main process (Playwright's evaluate), since the
// OS's notification centre cannot be driven from a test. Skips visibly where no Electron binary
// exists (electron-harness.ts).
import { spawn } from 'node:child_process';
import { expect, test, type ElectronApplication } from '@playwright/test';
import { ROOT_DIR, shot } from '../e2e/harness.ts';
import {
  binary,
  cannotRun,
  DEMO_CONTROL_TOKEN,
  electronArgs,
  launchApp,
  SKIP_REASON,
  type LaunchedApp,
} from './electron-harness.ts';

/** The demo org's address, from the main process's log line. */
async function demoOrgUrl(launched: LaunchedApp): Promise<string> {
  await expect
    .poll(() => /demo org at (http:\/\/127\.0\.0\.1:\d+)/.exec(launched.output())?.[1], {
      timeout: 20_000,
    })
    .toBeTruthy();
  return /demo org at (http:\/\/127\.0\.0\.1:\d+)/.exec(launched.output())![1]!;
}

async function sim<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-sim-control-token': DEMO_CONTROL_TOKEN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Records every native notification the app shows, in the main process. */
async function recordNotifications(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ Notification }) => {
    const g = globalThis as unknown as { __gctShown?: InstanceType<typeof Notification>[] };
    g.__gctShown = [];
    const show = Notification.prototype.show;
    Notification.prototype.show = function (this: InstanceType<typeof Notification>) {
      g.__gctShown!.push(this);
      return show.call(this);
    };
  });
}

const shownTitles = (app: ElectronApplication): Promise<string[]> =>
  app.evaluate(() =>
    ((globalThis as unknown as { __gctShown?: { title: string; body: string }[] }).__gctShown ?? []).map(
      (n) => `${n.title}: ${n.body}`,
    ),
  );

interface SimUser {
  id: string;
  email: string;
  name: string;
}
interface SimChat {
  kind: string;
  jid?: string;
  name: string;
  participants: string[];
}

test.describe('Electron shell', () => {
  test.skip(cannotRun, SKIP_REASON);

  test('a second launch shows the hidden popup (no tray click needed)', async () => {
    const launched = await launchApp();
    try {
      const popup = await launched.app.firstWindow();
      await expect(popup.getByTestId('app-mode')).toHaveText('Demo', { timeout: 20_000 });
      await popup.keyboard.press('Escape'); // the first view hides the popup
      await expect
        .poll(() =>
          launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()),
        )
        .toBe(false);
      // The second instance finds the first one's lock in the same config folder and quits.
      const second = spawn('path' in binary ? binary.path : 'electron', electronArgs(), {
        cwd: ROOT_DIR,
        env: { ...process.env, XDG_CONFIG_HOME: launched.configHome },
        stdio: 'ignore',
      });
      const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
      expect(code).toBe(0);
      await expect
        .poll(() =>
          launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()),
        )
        .toBe(true);
      await shot(popup, 'electron-popup-second-launch');
    } finally {
      await launched.close();
    }
  });

  test("a colleague's mention raises a notification, and a reply typed into it lands", async () => {
    const launched = await launchApp();
    const { app } = launched;
    try {
      await recordNotifications(app);
      const popup = await app.firstWindow();
      await expect(popup.getByTestId('app-mode')).toHaveText('Demo', { timeout: 20_000 });
      const base = await demoOrgUrl(launched);
      await sim(base, 'POST', '/_sim/traffic/stop');
      const users = await sim<SimUser[]>(base, 'GET', '/_sim/users');
      const me = users.find((u) => u.name === 'Alex Rivera')!;
      const colleague = users.find((u) => u.id !== me.id)!;
      const chats = await sim<SimChat[]>(base, 'GET', `/_sim/chats?userId=${me.id}`);
      const room = chats.find((c) => c.kind === 'room' && c.participants.includes(colleague.id))!;

      const posted = await sim<{ id: string }>(base, 'POST', '/_sim/messages', {
        as: colleague.email,
        room: room.jid,
        body: 'Alex, can you check the release notes?',
        mentions: [me.id],
      });
      await expect
        .poll(() => shownTitles(app), { timeout: 10_000 })
        .toContain(`${colleague.name} in ${room.name}: Alex, can you check the release notes?`);

      // The user answers in the notification (macOS/Windows inline reply): the shell hands the
      // text to the outbox, which posts it to the room.
      await app.evaluate(() => {
        const shown = (
          globalThis as unknown as { __gctShown: { emit(e: string, ...a: unknown[]): boolean }[] }
        ).__gctShown;
        const note = shown.at(-1)!;
        note.emit('reply', { reply: 'On it, thanks!' }, 'On it, thanks!');
      });
      // The reply is in the room, from the demo user, read back through the Chat API as them.
      const token = await sim<{ accessToken: string }>(base, 'POST', '/_sim/tokens', { user: me.id });
      const roomMessages = async (): Promise<string[]> => {
        const res = await fetch(`${base}/api/v2/chats/rooms/${encodeURIComponent(room.jid!)}/messages`, {
          headers: { authorization: `Bearer ${token.accessToken}` },
        });
        const page = (await res.json()) as { entities: { body: string; sender?: { id: string } }[] };
        return page.entities.filter((m) => m.sender?.id === me.id).map((m) => m.body);
      };
      await expect.poll(roomMessages, { timeout: 10_000 }).toContain('On it, thanks!');
      expect(posted.id).toBeTruthy();
      await shot(popup, 'electron-after-notification-reply');
    } finally {
      await launched.close();
    }
  });
});
