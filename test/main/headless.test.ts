// The headless runner as a real process against the simulator: JSON lines out, actions in, a hard
// kill in the middle of a stream neither repeats nor loses a notification, and no token ever
// appears on stdout, stderr or in its files.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

let sim: Simulator;
const outputs: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, quiet: true });
});
afterAll(async () => {
  // Nothing a headless run printed or wrote may contain any token the simulator issued.
  const secrets = sim.control.issuedSecrets();
  expect(secrets.length).toBeGreaterThan(0);
  const files = dirs.flatMap((d) => readdirSync(d).map((f) => readFileSync(join(d, f), 'utf8')));
  for (const text of [...outputs, ...files]) for (const s of secrets) expect(text.includes(s)).toBe(false);
  await sim.close();
});

interface Headless {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  send(obj: unknown): void;
  waitFor(pred: (l: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function headless(dir: string): Headless {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      'src/main/headless/cli.ts',
      '--env',
      sim.url,
      '--data-dir',
      dir,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    outputs.push(l);
    lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  child.stderr.on('data', (d: Buffer) => outputs.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    lines,
    exited,
    send: (obj) => child.stdin.write(typeof obj === 'string' ? `${obj}\n` : `${JSON.stringify(obj)}\n`),
    async waitFor(pred, ms = 8000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = lines.find(pred);
        if (hit) return hit;
        if (Date.now() > end)
          throw new Error(`headless: timed out; lines so far: ${JSON.stringify(lines.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const colleague = (): { id: string; email: string } => sim.users.find((u) => u.id !== sim.demoUser.id)!;
const isPush = (l: Record<string, unknown>): boolean =>
  l['type'] === 'state' && l['connection'] === 'push' && l['synced'] === true;

describe('headless runner', () => {
  it('signs in to the simulator by itself, prints notifications, and takes actions on stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gct-hl-'));
    dirs.push(dir);
    const h = headless(dir);
    try {
      await h.waitFor(isPush);
      const dm = sim.control.post({
        as: colleague().email,
        toUser: sim.demoUser.id,
        body: 'ping from a colleague',
      });
      const note = await h.waitFor((l) => l['type'] === 'notification' && l['messageId'] === dm.id);
      expect(note).toMatchObject({
        kind: 'direct',
        chatId: colleague().id,
        body: 'ping from a colleague',
        messageIds: [dm.id],
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

      h.send({ type: 'react', messageId: dm.id, emoji: '👍' });
      await h.waitFor((l) => l['type'] === 'action' && l['kind'] === 'react' && l['state'] === 'sent');
      expect(sim.control.message(dm.id)?.reactions).toEqual([
        { emoji: '👍', users: [expect.objectContaining({ id: sim.demoUser.id })] },
      ]);
    } finally {
      h.child.kill('SIGTERM');
      expect(await h.exited).toBe(0);
    }
  }, 30_000);

  it('killed hard mid-stream and started again, notifies every message exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gct-hl-'));
    dirs.push(dir);
    const room = sim.control
      .chats(sim.demoUser.id)
      .find(
        (c) =>
          c.kind === 'room' &&
          c.participants.includes(sim.demoUser.id) &&
          c.participants.includes(colleague().id),
      )!;
    const posted: string[] = [];
    const post = (): void => {
      posted.push(
        sim.control.post({
          as: colleague().email,
          room: room.jid!,
          body: `msg ${posted.length}`,
          mentions: [sim.demoUser.id],
        }).id,
      );
    };

    const first = headless(dir);
    await first.waitFor(isPush);
    for (let i = 0; i < 5; i++) post();
    await first.waitFor((l) => l['type'] === 'notification' && l['messageId'] === posted[4]);
    const stream = setInterval(post, 15);
    await new Promise((r) => setTimeout(r, 200));
    first.child.kill('SIGKILL');
    await first.exited;
    clearInterval(stream);
    for (let i = 0; i < 5; i++) post();

    const second = headless(dir);
    try {
      await second.waitFor(
        (l) => l['type'] === 'notification' && (l['messageIds'] as string[]).includes(posted.at(-1)!),
        10_000,
      );
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
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 40_000);
});
