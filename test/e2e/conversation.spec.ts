// The open conversation over a REAL AppController running the demo org: what one new message in
// the open chat costs in reads (the engine tells its activity, then the inbox item it made).
import { expect, startDemoApp, test, until, type DemoApp } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  await demo?.stop();
  demo = null;
});

test('one new message in the open chat reads its history once, mention or not', async ({ openPopup }) => {
  demo = await startDemoApp(21);
  const { page, bridge, problems } = await openPopup(demo.deps);
  demo.connect(bridge);
  const sim = demo.sim();
  const me = sim.demoUser;
  const r = sim.control.chats(me.id).find((c) => c.kind === 'room' && c.participants.length > 2);
  if (!r) throw new Error('the demo org has no room');
  const colleague = r.participants.find((p) => p !== me.id)!;

  await page.getByTestId('tab-chats').click();
  await page.getByTestId('chat-list').getByRole('button', { name: r.name }).first().click();
  await expect(page.locator('#conversation-title')).toHaveText(r.name);
  await expect(page.getByTestId('messages')).not.toContainText('Loading messages');
  const reads = (): number => bridge.calls.filter((c) => c.channel === 'chat:history').length;
  const quiet = async (): Promise<number> => {
    // Past the activity debounce and any read it started.
    let n = reads();
    for (;;) {
      await page.waitForTimeout(400);
      if (reads() === n) return n;
      n = reads();
    }
  };

  // A mention: its activity, then its inbox item (and notification).
  let before = await quiet();
  const mention = sim.control.post({
    as: colleague,
    room: r.id,
    body: `@${me.name} one question`,
    mentions: [me.id],
  });
  await expect(page.locator(`[data-message-id="${mention.id}"]`)).toBeVisible();
  await until(
    () => demo!.controller.state().inbox.some((c) => c.items.some((i) => i.messageId === mention.id)),
    'the mention in the inbox',
  );
  expect((await quiet()) - before).toBe(1);

  // A plain message (no inbox item): its activity alone.
  before = reads();
  const plain = sim.control.post({ as: colleague, room: r.id, body: 'Lunch at noon?' });
  await expect(page.locator(`[data-message-id="${plain.id}"]`)).toBeVisible();
  expect((await quiet()) - before).toBe(1);
  expect(problems).toEqual([]);
});
