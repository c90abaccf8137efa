// A reply to a customer from the built popup goes through the REAL engine's outbox: the demo app's
// engine watches the simulator's customer conversations, the popup's InteractionsPort is the app's
// own adapter over `engine.messaging()`. While Genesys answers only errors the reply waits under the
// transcript ("Waiting to send…", kept on disk), and is sent once when Genesys answers again; a reply
// the server refuses (too long for the channel) shows as failed with the reason, Retry and Discard.
// Screenshots: the pending and the failed reply, light and dark.
import { InteractionsAdapter } from '../../src/main/messaging/interactions-port.ts';
import { expect, shots, startDemoApp, test, until, type DemoApp } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  demo?.sim().control.resetFaults();
  await demo?.stop();
  demo = null;
});

test('interactions: a customer reply waits in the outbox, is sent once, and a refused one fails', async ({
  openPopup,
}) => {
  const app = await startDemoApp(19);
  demo = app;
  const engine = () => app.controller.engine;
  await until(() => engine()?.state.get().interactions?.available === true, 'customer conversations');
  const sim = app.sim();
  sim.control.messaging.configure({ alertingTimeoutMs: 180_000 });
  const adapter = new InteractionsAdapter(() => engine()?.messaging() ?? null);
  const { page, bridge, problems } = await openPopup({ ...app.deps, interactions: () => adapter });
  app.connect(bridge);
  const off = engine()!.onInteractions((id) => {
    bridge.emit('interactions:changed', id ? { conversationId: id } : {}).catch(() => {});
  });

  const maya = sim.control.messaging.customerWrites({
    customer: 'Maya Thompson',
    text: 'Is my order on its way?',
  });
  await until(
    () =>
      engine()!
        .messaging()
        ?.list()
        .some((i) => i.conversationId === maya.conversationId),
    'the offer in the engine',
  );
  await engine()!.messaging()!.accept(maya.conversationId);
  await until(
    () =>
      engine()!
        .messaging()
        ?.list()
        .find((i) => i.state === 'connected'),
    'connected in the engine',
  );

  await page.getByTestId('tab-interactions').click();
  await page.getByTestId('interaction').filter({ hasText: 'Maya Thompson' }).click();
  const box = page.getByTestId('ix-reply-box');
  await expect(box).toBeVisible();

  // Genesys answers only errors: the reply waits under the transcript, not in it.
  sim.control.failNext(100_000, 503);
  const text = 'Yes, it left the warehouse this morning.';
  await box.fill(text);
  await box.press('Enter');
  const item = page.getByTestId('outbox-item');
  await expect(item).toHaveAttribute('data-state', /queued|sending/);
  await expect(item).toContainText(text);
  await expect(item).toContainText(/Waiting to send…|Sending…/);
  await shots(page, 'interactions-reply-pending');
  expect(sim.control.messaging.sent(maya.conversationId)).toEqual([]);

  // Genesys is back: sent once, shown in the transcript, gone from under it.
  sim.control.resetFaults();
  engine()!.resync('online');
  await until(() => sim.control.messaging.sent(maya.conversationId).length === 1, 'the reply sent', 20_000);
  await expect(page.getByTestId('transcript').locator('[data-from="agent"]')).toContainText(text);
  await expect(item).toHaveCount(0);

  // Too long for the channel: the server refuses it; the popup says why, with Retry and Discard.
  await box.fill('x'.repeat(4_100));
  await box.press('Enter');
  await expect(item).toHaveAttribute('data-state', 'failed');
  await expect(item.getByRole('alert')).toContainText('exceeds the 4000 characters');
  await expect(item.getByRole('button', { name: 'Retry' })).toBeVisible();
  await shots(page, 'interactions-reply-failed');
  await item.getByRole('button', { name: 'Discard' }).click();
  await expect(item).toHaveCount(0);
  expect(sim.control.messaging.sent(maya.conversationId).map((m) => m.text)).toEqual([text]);

  off();
  expect(problems).toEqual([]);
});
