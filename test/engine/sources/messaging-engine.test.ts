// The messaging source registered in the engine, against the simulator over real sockets: a
// customer writes through the inbound Open Messaging API, the offer reaches the user through the
// engine's one channel and pipeline (once, even under do-not-disturb), accepting withdraws it, the
// customer's messages notify with their text exactly once across a restart (one written while the
// engine was down included), and the snapshot counts customers waiting. A user without messaging
// loses nothing of chats and sees a healthy connection. An offer shown before a restart that ended
// while the engine was down is withdrawn when it is back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../../support/engine-harness.ts';
import { startTestSimulator } from '../../simulator/helpers.ts';

const MAYA = { id: '+14155550199', idType: 'Phone' as const, nickname: 'Maya T.' };
const RAVI = { id: '+14155550142', idType: 'Phone' as const, nickname: 'Ravi K.' };
const LENA = { id: '+14155550177', idType: 'Phone' as const, nickname: 'Lena O.' };

let sim: Simulator;
const runs: EngineRun[] = [];

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 31, quiet: true, heartbeatIntervalMs: 500 });
});
const afterAllClose: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of afterAllClose) await close();
  await sim.close();
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.stop();
});

async function start(
  opts: { dir?: string; secrets?: EngineRun['secrets'] } = {},
  simulator: Simulator = sim,
): Promise<EngineRun> {
  const run = await runEngine(simulator, opts);
  runs.push(run);
  await run.until((r) => r.engine.state.get().connection === 'push', 5000, 'push');
  await run.until((r) => r.engine.state.get().interactions?.available === true, 5000, 'messaging');
  return run;
}

const shownFor = (run: EngineRun, id: string): number =>
  run.shown.filter((n) => n.messageIds.includes(id)).length;

describe('customer conversations in the engine', () => {
  it('offers once, withdraws on accept, notifies the customer once across a restart', async () => {
    const first = await start();
    const { conversationId } = sim.control.messaging.customerWrites({
      customer: MAYA,
      text: 'My parcel is late',
    });
    await first.until((r) => r.shown.some((n) => n.kind === 'offer'), 5000, 'the offer');
    const offer = first.shown.find((n) => n.kind === 'offer')!;
    expect(offer).toMatchObject({ chatId: conversationId, title: 'Open messaging from Maya T.' });
    expect(offer.body).toContain('My parcel is late');
    expect(offer.body).toMatch(/\d+ s left/);
    await first.until((r) => r.engine.state.get().interactions?.offered === 1, 3000, 'offered counted');
    expect(first.engine.state.get().interactions).toMatchObject({ waiting: 1, offered: 1 });

    const changes: (string | undefined)[] = [];
    first.engine.onInteractions((id) => changes.push(id));
    await first.engine.messaging()!.accept(conversationId);
    await first.until((r) => r.withdrawn.includes(offer.messageId), 5000, 'the offer withdrawn');
    expect(changes).toContain(conversationId);

    const second = sim.control.messaging.customerWrites({ customer: MAYA, text: 'Any news?' });
    await first.until((r) => shownFor(r, second.messageId) === 1, 5000, 'the customer message');
    expect(first.shown.find((n) => n.messageIds.includes(second.messageId))).toMatchObject({
      kind: 'customer',
      chatId: conversationId,
      body: 'Any news?',
    });
    await first.engine.idle();
    await first.stop();
    runs.splice(runs.indexOf(first), 1);

    // Written while the engine was down: notified once when it is back, the earlier ones never again.
    const whileDown = sim.control.messaging.customerWrites({ customer: MAYA, text: 'Hello??' });
    const again = await start({ dir: first.dir, secrets: first.secrets });
    await again.until((r) => shownFor(r, whileDown.messageId) === 1, 5000, 'the message written while down');
    await again.engine.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(shownFor(again, second.messageId)).toBe(0);
    expect(again.shown.filter((n) => n.kind === 'offer')).toEqual([]);
    expect(again.engine.state.get().interactions).toMatchObject({ available: true, offered: 0, waiting: 1 });
  });

  it('withdraws after a restart an offer it showed that ended while the engine was down', async () => {
    const first = await start();
    const { conversationId } = sim.control.messaging.customerWrites({ customer: LENA, text: 'Still open?' });
    await first.until(
      (r) => r.shown.some((n) => n.kind === 'offer' && n.chatId === conversationId),
      5000,
      'offer',
    );
    const offer = first.shown.find((n) => n.kind === 'offer' && n.chatId === conversationId)!;
    await first.engine.idle();
    await first.stop();
    runs.splice(runs.indexOf(first), 1);

    sim.control.messaging.timeoutOffer(conversationId);
    const again = await start({ dir: first.dir, secrets: first.secrets });
    await again.until((r) => r.withdrawn.includes(offer.messageId), 5000, 'the stale offer withdrawn');
    expect(again.shown.filter((n) => n.kind === 'offer')).toEqual([]);
  });

  it('shows an offer under do-not-disturb, and withdraws one that timed out', async () => {
    // Its own org: the other tests' open conversations would be caught up (and held) by this engine.
    const own = await startTestSimulator({ seed: 32, quiet: true, heartbeatIntervalMs: 500 });
    afterAllClose.push(() => own.close());
    const run = await start({}, own);
    run.engine.updatePrefs({ dnd: true });
    const { conversationId } = own.control.messaging.customerWrites({
      customer: RAVI,
      text: 'Anyone there?',
    });
    await run.until(
      (r) => r.shown.some((n) => n.kind === 'offer' && n.chatId === conversationId),
      5000,
      'offer',
    );
    const offer = run.shown.find((n) => n.kind === 'offer')!;
    expect(run.engine.state.get().held).toBe(0);
    own.control.messaging.timeoutOffer(conversationId);
    await run.until((r) => r.withdrawn.includes(offer.messageId), 5000, 'withdrawn after the time-out');
    await run.until((r) => r.engine.state.get().interactions?.offered === 0, 3000, 'no offer left');
  });

  it('a user without messaging keeps chats on push and sees nothing of customers', async () => {
    sim.control.messaging.setPermission(sim.demoUser.id, false);
    try {
      const run = await runEngine(sim);
      runs.push(run);
      await run.until((r) => r.engine.state.get().interactions?.available === false, 5000, 'unavailable');
      await run.until((r) => r.engine.state.get().connection === 'push', 5000, 'push');
      const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!;
      const dm = sim.control.post({ as: colleague.email, toUser: sim.demoUser.id, body: 'still here?' });
      await run.until((r) => shownFor(r, dm.id) === 1, 5000, 'the 1on1 message');
      expect(run.engine.state.get().connection).toBe('push');
      expect(run.shown.filter((n) => n.kind === 'offer' || n.kind === 'customer')).toEqual([]);
    } finally {
      sim.control.messaging.setPermission(sim.demoUser.id, true);
    }
  });
});
