// The engine's customer desk over the simulator and real store files: a reply to a customer queued
// while Genesys answers only errors waits in the outbox (shown as queued, with the reason), survives
// an engine restart, and is sent exactly once when Genesys answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../../support/engine-harness.ts';
import { startTestSimulator } from '../../simulator/helpers.ts';

const NORA = { id: '+14155550123', idType: 'Phone' as const, nickname: 'Nora P.' };

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator({ seed: 43, quiet: true, heartbeatIntervalMs: 500 });
});
afterAll(() => sim.close());

const ready = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().interactions?.available === true;

describe('customer replies through the engine outbox', () => {
  it('queued while Genesys fails, kept across a restart, sent once after', async () => {
    const first = await runEngine(sim);
    let second: EngineRun | undefined;
    try {
      await first.until(ready, 5000, 'push and messaging');
      const { conversationId } = sim.control.messaging.customerWrites({ customer: NORA, text: 'Hi' });
      await first.until((r) => r.shown.some((n) => n.kind === 'offer'), 5000, 'the offer');
      await first.engine.messaging()!.accept(conversationId);
      await first.until(
        (r) =>
          r.engine
            .messaging()!
            .list()
            .some((i) => i.state === 'connected'),
        5000,
        'connected',
      );

      sim.control.failNext(100_000, 503);
      const queued = await first.engine.messaging()!.reply(conversationId, 'Looking into it');
      expect(queued).toMatchObject({ state: 'queued', kind: 'reply', chatId: conversationId });
      await first.until(
        (r) => r.engine.state.get().outbox.some((o) => o.id === queued.id && o.error !== undefined),
        5000,
        'a failed attempt shown',
      );
      await first.stop();

      second = await runEngine(sim, { dir: first.dir, secrets: first.secrets, start: false });
      const starting = second.engine.start().catch(() => {});
      expect(second.engine.state.get().outbox.map((o) => [o.id, o.state])).toEqual([[queued.id, 'queued']]);
      await starting;
      sim.control.resetFaults();
      second.engine.resync('online');
      await second.until(
        (r) => r.engine.state.get().outbox.some((o) => o.id === queued.id && o.state === 'sent'),
        15_000,
        'sent after the restart',
      );
      expect(sim.control.messaging.sent(conversationId).map((m) => m.text)).toEqual(['Looking into it']);
    } finally {
      sim.control.resetFaults();
      await second?.stop();
    }
  }, 40_000);
});
