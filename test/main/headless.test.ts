// The headless runner as a real process against the simulator: JSON lines out, actions in, state
// kept in the per-user data folder by default, a hard kill in the middle of a stream neither
// repeats nor loses a notification, and no token ever appears on stdout, stderr or in its files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentFolder } from '../../src/main/headless/data-dir.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isPush, notifies, printed, startHeadless, type Line } from '../support/headless-process.ts';

let sim: Simulator;
const dirs: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, quiet: true });
});
afterAll(async () => {
  // Nothing a headless run printed or wrote may contain any token the simulator issued.
  const secrets = sim.control.issuedSecrets();
  expect(secrets.length).toBeGreaterThan(0);
  const files = dirs.flatMap((d) => filesUnder(d).map((f) => readFileSync(f, 'utf8')));
  for (const text of [...printed, ...files]) for (const s of secrets) expect(text.includes(s)).toBe(false);
  await sim.close();
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gct-hl-'));
  dirs.push(dir);
  return dir;
}

/** A home of its own, so the per-user data folder of a default run is a fresh temporary one. */
function tempHome(): Record<string, string> {
  const home = tempDir();
  return { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') };
}

const colleague = (): { id: string; email: string } => sim.users.find((u) => u.id !== sim.demoUser.id)!;
const sharedRoom = (): { jid: string } =>
  sim.control
    .chats(sim.demoUser.id)
    .find(
      (c) =>
        c.kind === 'room' &&
        c.participants.includes(sim.demoUser.id) &&
        c.participants.includes(colleague().id),
    ) as { jid: string };
const mention = (body: string): string =>
  sim.control.post({ as: colleague().email, room: sharedRoom().jid, body, mentions: [sim.demoUser.id] }).id;
const dm = (body: string): string =>
  sim.control.post({ as: colleague().email, toUser: sim.demoUser.id, body }).id;
const told = (lines: Line[], id: string): number => lines.filter(notifies(id)).length;

describe('headless runner', () => {
  it('signs in to the simulator by itself, prints notifications, and takes actions on stdin', async () => {
    const h = startHeadless(['--env', sim.url, '--data-dir', tempDir()]);
    try {
      await h.waitFor(isPush);
      const id = dm('ping from a colleague');
      const note = await h.waitFor(notifies(id));
      expect(note).toMatchObject({
        kind: 'direct',
        chatId: colleague().id,
        body: 'ping from a colleague',
        messageIds: [id],
      });

      h.send('this is not json');
      h.send({ type: 'reply', chatId: 'no-such-chat', text: 'x' });
      h.send({ type: 'reply', chatId: colleague().id, text: 'pong from the tray' });
      await h.waitFor(
        (l) => l['type'] === 'result' && l['ok'] === false && String(l['error']).startsWith('Not JSON'),
      );
      await h.waitFor(
        (l) => l['type'] === 'result' && l['ok'] === false && String(l['error']).includes('Unknown chat'),
      );
      const sent = await h.waitFor(
        (l) => l['type'] === 'action' && l['kind'] === 'reply' && l['state'] === 'sent',
      );
      expect(sim.control.message(String(sent['messageId']))).toMatchObject({ body: 'pong from the tray' });
      // Each action line is answered first; what it causes follows.
      const answered = h.lines.findIndex((l) => l['type'] === 'result' && l['id'] === sent['id']);
      const queued = h.lines.findIndex((l) => l['type'] === 'action' && l['id'] === sent['id']);
      expect(answered).toBeGreaterThan(-1);
      expect(answered).toBeLessThan(queued);

      h.send({ type: 'react', messageId: id, emoji: '👍' });
      await h.waitFor((l) => l['type'] === 'action' && l['kind'] === 'react' && l['state'] === 'sent');
      expect(sim.control.message(id)?.reactions).toEqual([
        { emoji: '👍', users: [expect.objectContaining({ id: sim.demoUser.id })] },
      ]);
    } finally {
      expect(await h.stop()).toBe(0);
    }
  }, 30_000);

  it('keeps its state in the per-user data folder: a restart neither misses nor repeats', async () => {
    const home = tempHome();
    const first = startHeadless(['--env', sim.url], home);
    let replyId = '';
    try {
      await first.waitFor(isPush);
      const before = dm('before the restart');
      await first.waitFor(notifies(before));
      first.send({ type: 'reply', chatId: colleague().id, text: 'answered before the restart' });
      const sent = await first.waitFor((l) => l['type'] === 'action' && l['state'] === 'sent');
      replyId = String(sent['id']);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // The app's naming rules (Electron's userData), with a folder of the runner's own.
    const folder = join(
      home['XDG_CONFIG_HOME']!,
      'Genesys Chat Tray',
      'headless',
      environmentFolder(sim.url),
    );
    expect(existsSync(join(folder, 'headless.json'))).toBe(true);

    // While it is down, a colleague writes a DM and mentions the user in a room.
    const whileDown = [dm('while you were away'), mention('@Alex while you were away')];

    const second = startHeadless(['--env', sim.url], home);
    try {
      for (const id of whileDown) await second.waitFor(notifies(id), 10_000);
      await second.waitFor(isPush);
      await new Promise((r) => setTimeout(r, 500));
      for (const id of whileDown) expect(told([...first.lines, ...second.lines], id)).toBe(1);
      // Nothing the first run told is told again, and its finished reply is not news.
      expect(
        second.lines.filter(
          (l) => l['type'] === 'notification' && !whileDown.includes(String(l['messageId'])),
        ),
      ).toEqual([]);
      expect(second.lines.filter((l) => l['type'] === 'action' && l['id'] === replyId)).toEqual([]);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 40_000);

  it('notifies a mention posted right after its first state line (a first run)', async () => {
    const h = startHeadless(['--env', sim.url, '--ephemeral']);
    try {
      await h.waitFor((l) => l['type'] === 'state');
      const id = mention('@Alex right at the start');
      await h.waitFor(notifies(id), 10_000);
      await h.waitFor(isPush);
      await new Promise((r) => setTimeout(r, 300));
      expect(told(h.lines, id)).toBe(1);
    } finally {
      expect(await h.stop()).toBe(0);
    }
  }, 30_000);

  it('prints a state line after every change of unread, in the order things happen', async () => {
    const h = startHeadless(['--env', sim.url, '--ephemeral']);
    try {
      await h.waitFor(isPush);
      const from = h.lines.length;
      const id = dm('count me');
      await h.waitFor(notifies(id));
      const after = h.lines.findIndex(notifies(id));
      const unread = await h.waitFor((l) => l['type'] === 'state' && Number(l['unread']) >= 1, 5000, after);
      expect(h.lines.indexOf(unread)).toBeGreaterThan(after);
      h.send({ type: 'read', chatId: colleague().id });
      await h.waitFor((l) => l['type'] === 'state' && l['unread'] === 0, 5000, from);
      await h.waitFor((l) => l['type'] === 'withdraw' && (l['messageIds'] as string[]).includes(id));
    } finally {
      expect(await h.stop()).toBe(0);
    }
  }, 30_000);

  it('refuses a real region without --client-id before it opens the keyring or any folder', async () => {
    const home = tempHome();
    // No Secret Service to reach: touching the keyring would fail differently (or hang).
    const h = startHeadless(['--env', 'mypurecloud.ie'], {
      ...home,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    });
    expect(await h.exited).toBe(2);
    expect(h.stderr()).toContain('--client-id is required for mypurecloud.ie');
    expect(h.lines).toEqual([]);
    expect(readdirSync(home['HOME']!)).toEqual([]);
  }, 15_000);

  it('refuses a second runner on the same folder; --ephemeral leaves nothing behind', async () => {
    const dir = tempDir();
    const first = startHeadless(['--env', sim.url, '--data-dir', dir]);
    try {
      await first.waitFor(isPush);
      const second = startHeadless(['--env', sim.url, '--data-dir', dir]);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toMatch(/Another headless runner \(process \d+\) is using/);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(readdirSync(dir)).toEqual(['headless.json']); // the lock went with it

    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('gct-headless-')));
    const ephemeral = startHeadless(['--env', sim.url, '--ephemeral']);
    await ephemeral.waitFor(isPush);
    const made = readdirSync(tmpdir()).filter((n) => n.startsWith('gct-headless-') && !before.has(n));
    expect(made).toHaveLength(1);
    expect(await ephemeral.stop()).toBe(0);
    expect(existsSync(join(tmpdir(), made[0]!))).toBe(false);
  }, 30_000);

  it('killed hard mid-stream and started again, notifies every message exactly once', async () => {
    const dir = tempDir();
    const posted: string[] = [];
    const post = (): void => {
      posted.push(mention(`msg ${posted.length}`));
    };

    const first = startHeadless(['--env', sim.url, '--data-dir', dir]);
    await first.waitFor(isPush);
    for (let i = 0; i < 5; i++) post();
    await first.waitFor(notifies(posted[4]!));
    const stream = setInterval(post, 15);
    await new Promise((r) => setTimeout(r, 200));
    first.child.kill('SIGKILL');
    await first.exited;
    clearInterval(stream);
    for (let i = 0; i < 5; i++) post();

    const second = startHeadless(['--env', sim.url, '--data-dir', dir]);
    try {
      await second.waitFor(notifies(posted.at(-1)!), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      const counts = new Map<string, number>();
      for (const l of [...first.lines, ...second.lines]) {
        if (l['type'] !== 'notification') continue;
        for (const id of l['messageIds'] as string[]) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const repeated = posted.filter((id) => (counts.get(id) ?? 0) > 1);
      // A notification can only be lost in the instant between saving it and showing it; it is
      // then still in the inbox the popup shows. So every message is in a notification or there.
      const saved = JSON.parse(readFileSync(join(dir, 'headless.json'), 'utf8')) as {
        engine: { inbox: { messageId: string }[] };
      };
      const inInbox = new Set(saved.engine.inbox.map((i) => i.messageId));
      const missed = posted.filter((id) => !counts.has(id) && !inInbox.has(id));
      expect(repeated).toEqual([]);
      expect(missed).toEqual([]);
    } finally {
      await second.stop();
    }
  }, 40_000);
});
