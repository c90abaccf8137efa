// The headless runner's `{"type":"diagnostics"}` action, as a real process against the simulator:
// one line answers it, with the report (versions, host, connection, topics, wire surprises) and
// nothing that names a person, a chat or a message, and no token.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 35, quiet: true });
});
afterAll(() => sim.close());

describe('headless diagnostics', () => {
  it('answers {"type":"diagnostics"} with one line holding the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gct-hl-diag-'));
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
    const raw: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      raw.push(l);
      lines.push(JSON.parse(l) as Record<string, unknown>);
    });
    const waitFor = async (
      pred: (l: Record<string, unknown>) => boolean,
    ): Promise<Record<string, unknown>> => {
      const end = Date.now() + 10_000;
      for (;;) {
        const hit = lines.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`timed out; lines: ${JSON.stringify(lines.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitFor((l) => l['type'] === 'state' && l['connection'] === 'push' && l['synced'] === true);
      const room = sim.control
        .chats(sim.demoUser.id)
        .find((c) => c.kind === 'room' && c.participants.length > 1)!;
      sim.control.manglePush({ count: 1, shape: 'legacy' });
      const colleague = room.participants.find((p) => p !== sim.demoUser.id)!;
      const m = sim.control.post({
        as: colleague,
        room: room.jid!,
        body: 'Ask Alex',
        mentions: [sim.demoUser.id],
      });
      await waitFor((l) => l['type'] === 'notification' && l['messageId'] === m.id);
      const before = lines.length;
      child.stdin.write('{"type":"diagnostics"}\n');
      const line = await waitFor((l) => l['type'] === 'diagnostics');
      await new Promise((r) => setTimeout(r, 200));
      expect(
        lines.slice(before).filter((l) => l['type'] === 'diagnostics' || l['type'] === 'result'),
      ).toEqual([line]);
      const report = line['report'] as {
        app: { name: string; version: string };
        environment: { kind: string; host: string };
        connection: { state: string };
        wire: { surprises: { kind: string }[] };
        network?: { hosts: { host: string; source: string; routes: string[] }[] };
      };
      expect(report.app).toEqual({ name: 'Genesys Chat Tray (headless)', version: expect.any(String) });
      expect(report.environment).toEqual({ kind: 'demo', host: new URL(sim.url).host });
      expect(report.connection.state).toBe('push');
      // The proxy in effect per host: the simulator on loopback never goes through one.
      expect(report.network?.hosts).toContainEqual(
        expect.objectContaining({ host: new URL(sim.url).host, source: 'loopback', routes: ['DIRECT'] }),
      );
      expect(report.wire.surprises.map((s) => s.kind)).toContain('push chat event: from invalid_type');
      const text = raw.find((l) => l.includes('"type":"diagnostics"'))!;
      const forbidden = [
        ...sim.users.flatMap((u) => [u.id, u.name, u.email, u.jid]),
        room.id,
        room.jid!,
        room.name,
        m.id,
        'Ask Alex',
        ...sim.control.issuedSecrets(),
      ];
      expect(forbidden.filter((s) => text.includes(s))).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
