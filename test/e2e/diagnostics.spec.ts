// Settings › Diagnostics in the built popup, against a real controller running the demo org: one
// click puts the report on the clipboard (through the main process) and shows what was copied; the
// report names no person, chat or message.
import { expect, shots, startDemoApp, test, type DemoApp } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  await demo?.stop();
  demo = null;
});

test('Copy diagnostics puts a report without names or text on the clipboard', async ({ openPopup }) => {
  demo = await startDemoApp(13);
  const copied: string[] = [];
  const { page, bridge, problems } = await openPopup({ ...demo.deps, copyText: (t) => void copied.push(t) });
  demo.connect(bridge);
  const sim = demo.sim();
  const room = sim.control
    .chats(sim.demoUser.id)
    .find((c) => c.kind === 'room' && c.participants.length > 1)!;
  const colleague = room.participants.find((p) => p !== sim.demoUser.id)!;
  sim.control.post({ as: colleague, room: room.jid!, body: 'Hold the release', mentions: [sim.demoUser.id] });
  await expect.poll(() => demo!.notifications.length, { timeout: 10_000 }).toBeGreaterThan(0);

  await page.getByTestId('open-settings').click();
  const section = page.getByTestId('diagnostics');
  await section.scrollIntoViewIfNeeded();
  await expect(section).toContainText('Never messages, names, ids or passwords.');
  await page.getByTestId('copy-diagnostics').click();
  await expect(page.getByTestId('diagnostics-status')).toHaveText('Copied to the clipboard.');
  expect(copied).toHaveLength(1);
  const report = JSON.parse(copied[0]!) as { app: { version: string }; connection: { state: string } };
  expect(report.app.version).toBe('0.1.0');
  expect(report.connection.state).toBe('push');
  await section.getByText('What was copied').click();
  await expect(page.getByTestId('diagnostics-report')).toHaveText(copied[0]!);
  await page.getByTestId('diagnostics-report').scrollIntoViewIfNeeded();
  for (const secret of [sim.demoUser.name, sim.demoUser.id, room.name, room.jid!, 'Hold the release'])
    expect(copied[0]).not.toContain(secret);
  await shots(page, 'popup-settings-diagnostics');
  expect(problems).toEqual([]);
});
