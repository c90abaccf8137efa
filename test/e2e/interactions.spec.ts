// The built popup's customer conversations (issue 13) in Chromium, over the REAL simulator: a
// real AppController runs the demo org, and the InteractionsPort is the test-side adapter over the
// simulator's agent-side Messaging API (test/support/sim-interactions.ts) until the engine's
// messaging source provides it. Customers write through the simulator's inbound Open Messaging
// path; what the popup shows and does is checked in the simulator. Screenshots: the list, an
// offer, a transcript and the wrap-up picker, light and dark.
import type { ControllerPort } from '../../src/main/controller.ts';
import type { EngineSnapshot } from '../../src/main/engine/engine-state.ts';
import { toStateView } from '../../src/main/ipc/views.ts';
import type { InteractionsSummary } from '../../src/shared/ipc/contract.ts';
import { simInteractionsPort, type SimInteractions } from '../support/sim-interactions.ts';
import { expect, shots, startDemoApp, test, until, type DemoApp, type TestBridge } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  await demo?.stop();
  demo = null;
});

/**
 * The demo app with customer conversations: the state carries the port's summary (as the engine's
 * snapshot will), and `changed` does what the engine's push does: new summary, `interactions:changed`.
 */
async function withInteractions(d: DemoApp) {
  const sim = d.sim();
  sim.control.messaging.configure({ alertingTimeoutMs: 180_000 });
  const port: SimInteractions = simInteractionsPort(sim, sim.demoUser.id);
  let summary: InteractionsSummary = await port.summary();
  const base = d.controller;
  const snapshot = (s: EngineSnapshot) => ({ ...s, interactions: summary });
  const controller: ControllerPort = {
    get engine() {
      return base.engine;
    },
    get mode() {
      return base.mode;
    },
    get environment() {
      return base.environment;
    },
    state: () => snapshot(base.state()),
    onState: (l) => base.onState(l),
    onActivity: (l) => base.onActivity(l),
    signIn: (r) => base.signIn(r),
    cancelSignIn: () => base.cancelSignIn(),
    signOut: () => base.signOut(),
    useDemo: () => base.useDemo(),
    networkReport: () => base.networkReport(),
  };
  let bridge: TestBridge | null = null;
  const offs: (() => void)[] = [];
  return {
    sim,
    port,
    deps: { ...d.deps, controller, interactions: () => port },
    connect(b: TestBridge) {
      bridge = b;
      offs.push(base.onState((s) => void b.emit('state:changed', toStateView(snapshot(s))).catch(() => {})));
    },
    async changed(conversationId?: string) {
      summary = await port.summary();
      await bridge?.emit('state:changed', toStateView(snapshot(base.state())));
      await bridge?.emit('interactions:changed', conversationId ? { conversationId } : {});
    },
    stop: () => offs.forEach((off) => off()),
  };
}

test('interactions: an offer accepted, a transcript, a reply, End and wrap-up, a decline', async ({
  openPopup,
}) => {
  demo = await startDemoApp(13);
  const ix = await withInteractions(demo);
  const { sim } = ix;
  const { page, bridge, problems } = await openPopup(ix.deps);
  ix.connect(bridge);

  // Two customers write through the inbound Open Messaging path; both are offered to the demo user.
  const maya = sim.control.messaging.customerWrites({
    customer: 'Maya Thompson',
    text: "Hi! My order #1042 hasn't arrived yet. Could you check where it is?",
  });
  const jonas = sim.control.messaging.customerWrites({
    customer: 'Jonas Weber',
    text: 'Hello, I would like to change the delivery address for my parcel.',
  });
  await ix.changed();

  const tab = page.getByTestId('tab-interactions');
  await expect(tab).toBeVisible();
  await expect(tab).toHaveAccessibleName('Interactions, 2 customers waiting');
  await tab.click();
  const row = (name: string) => page.getByTestId('interaction').filter({ hasText: name });
  await expect(row('Maya Thompson')).toContainText('Offer');
  await expect(row('Jonas Weber')).toContainText('Open Messaging');
  await expect(row('Maya Thompson').getByTestId('offer-countdown')).toHaveText(/Offer · [23]:\d\d/);

  // Accept Maya from the popup: her agent participant is connected in the simulator.
  await row('Maya Thompson').click();
  await expect(page.getByTestId('offer')).toContainText('Open Messaging conversation offered');
  await expect(page.getByTestId('transcript')).toContainText('order #1042');
  await shots(page, 'interactions-offer');
  await page.getByTestId('accept').click();
  await expect(page.getByTestId('ix-reply-box')).toBeVisible();
  const mine = () =>
    sim.control.messaging
      .conversation(maya.conversationId)
      .participants.filter((p) => p.purpose === 'agent' && p.userId === sim.demoUser.id)
      .at(-1)!;
  expect(mine().state).toBe('connected');
  await ix.changed(maya.conversationId);
  await page.getByTestId('back').click();
  await expect(row('Maya Thompson')).not.toContainText('Offer');
  await expect(row('Maya Thompson').getByTestId('waiting')).toContainText('waiting');
  await shots(page, 'interactions-list');

  // Maya writes again, with a photo; the transcript shows the bot greeting, her messages and the link.
  sim.control.messaging.customerWrites({
    customer: 'Maya Thompson',
    text: 'Here is my receipt',
    attachment: true,
  });
  await ix.changed(maya.conversationId);
  await row('Maya Thompson').click();
  const transcript = page.getByTestId('transcript');
  await expect(transcript.locator('[data-from="bot"]')).toHaveCount(1);
  await expect(transcript.locator('[data-from="customer"]')).toHaveCount(2);
  await expect(page.getByTestId('attachment')).toHaveCount(1);
  expect(await page.getByTestId('attachment').getAttribute('href')).toMatch(/^https?:\/\//);

  // Typing reaches the simulator (throttled), and the reply lands there exactly once.
  const box = page.getByTestId('ix-reply-box');
  await box.pressSequentially('Thanks Maya, ', { delay: 20 });
  await until(() => sim.control.messaging.typing(maya.conversationId).length > 0, 'the typing indicator');
  expect(sim.control.messaging.typing(maya.conversationId)).toHaveLength(1);
  await expect(page.getByTestId('char-guide')).toHaveText(/^13 \/ 4000/);
  await box.fill('Thanks Maya, your parcel left our warehouse this morning and arrives tomorrow.');
  await box.press('Enter');
  await until(
    () => sim.control.messaging.sent(maya.conversationId).length === 1,
    'the reply in the simulator',
  );
  const sent = sim.control.messaging.sent(maya.conversationId)[0]!;
  expect(sent.text).toBe('Thanks Maya, your parcel left our warehouse this morning and arrives tomorrow.');
  sim.control.messaging.customerReceipt({ messageId: sent.messageId, status: 'Delivered' });
  await ix.changed(maya.conversationId);
  await expect(transcript.locator('[data-from="agent"]')).toHaveCount(1);
  await expect(transcript.getByTestId('delivery')).toHaveAccessibleName('Delivered');
  await shots(page, 'interactions-transcript');

  // End, then the wrap-up picker with the queue's codes; the chosen code lands in the simulator.
  await page.getByTestId('ix-end').click();
  await expect(page.getByTestId('wrapup')).toBeVisible();
  expect(mine().wrapupRequired).toBe(true);
  const codes = sim.control.messaging.integration().wrapupCodes;
  await page.getByTestId('wrapup-code').selectOption({ label: codes[1]!.name });
  await page.getByTestId('wrapup-notes').fill('Customer will call back if it is not there tomorrow.');
  await shots(page, 'interactions-wrapup');
  await page.getByTestId('wrapup-apply').click();
  await expect(page.getByTestId('interactions')).toBeVisible();
  expect(mine().wrapupCode).toBe(codes[1]!.id);

  // Decline Jonas: the popup says what it costs first; the simulator puts the agent Not Responding.
  await ix.changed();
  await row('Jonas Weber').click();
  await page.getByTestId('decline').click();
  await expect(page.getByTestId('offer')).toContainText('Not Responding');
  await page.getByTestId('decline-confirm').click();
  await expect(page.getByTestId('interactions')).toBeVisible();
  const agent = sim.control.messaging.agents().find((a) => a.userId === sim.demoUser.id)!;
  expect(agent.routingStatus).toBe('NOT_RESPONDING');
  expect(sim.control.messaging.conversation(jonas.conversationId).participants.at(-1)!.state).toBe(
    'disconnected',
  );

  ix.stop();
  expect(problems).toEqual([]);
});
