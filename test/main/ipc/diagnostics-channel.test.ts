// `app:copy-diagnostics` through the real composition (fake shell, the simulator as the demo org):
// the popup gets the report and the main process puts the same text on the clipboard; any other
// sender, or a request with anything in it, is refused and nothing is copied.
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoApp, synced, until, type DemoApp } from '../../support/app-harness.ts';
import { FakeShell } from '../../support/fake-shell.ts';

let demo: DemoApp | null = null;
afterEach(async () => {
  await demo?.stop();
  demo = null;
});

describe('app:copy-diagnostics', () => {
  it('copies the report for the popup only', async () => {
    const shell = new FakeShell();
    demo = await startDemoApp(shell, { seed: 41 });
    await until(() => synced(shell), 'the demo org to sync');

    expect(await shell.invoke('app:copy-diagnostics', undefined, { senderId: 9999 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await shell.invoke('app:copy-diagnostics', { verbose: true })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(shell.copied).toEqual([]);

    const result = (await shell.invoke('app:copy-diagnostics')) as { ok: true; value: { text: string } };
    expect(result.ok).toBe(true);
    expect(shell.copied).toEqual([result.value.text]);
    const report = JSON.parse(result.value.text) as Record<string, { [k: string]: unknown }>;
    expect(report.app).toEqual({ name: 'Genesys Chat Tray', version: shell.appVersion });
    expect(report.connection!.state).toBe('push');
    expect(report.topics!.byFamily).toMatchObject({ badge: { Permitted: 1 }, room: { Rejected: 0 } });
    const sim = demo.sim();
    // The proxy in effect per host: the demo org on loopback never goes through one.
    expect((report.network as { hosts: unknown[] } | undefined)?.hosts).toContainEqual(
      expect.objectContaining({ host: new URL(sim.url).host, source: 'loopback', routes: ['DIRECT'] }),
    );
    for (const secret of [
      sim.demoUser.id,
      sim.demoUser.name,
      sim.demoUser.email,
      ...sim.control.issuedSecrets(),
    ])
      expect(result.value.text).not.toContain(secret);
  });
});
