// Customer conversations through the headless runner as a real process, against the simulator over
// real sockets: a customer writes through the inbound Open Messaging API, the offer is told once
// (`kind: offer`, the conversationId as `chatId`), accepted with an `accept` line, the customer's
// next message is told with its text, answered with `reply` (in the conversation exactly once),
// ended and wrapped up; a declined offer and one that timed out are withdrawn.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isPush, startHeadless, type Line } from '../support/headless-process.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 37, quiet: true });
});
afterAll(() => sim.close());

const customer = (n: number) => ({
  id: `+1415555030${n}`,
  idType: 'Phone' as const,
  nickname: `Customer ${n}`,
});
const offerFor = (conversationId: string) => (l: Line) =>
  l['type'] === 'notification' && l['kind'] === 'offer' && l['chatId'] === conversationId;
const result = (action: string) => (l: Line) => l['type'] === 'result' && l['action'] === action;
const withdraws = (id: string) => (l: Line) =>
  l['type'] === 'withdraw' && (l['messageIds'] as string[]).includes(id);

describe('headless runner and customer conversations', () => {
  it('offer → accept → customer message → reply once → end → wrap-up; decline and time-out withdraw', async () => {
    const h = startHeadless(['--env', sim.url, '--data-dir', mkdtempSync(join(tmpdir(), 'gct-hlc-'))]);
    try {
      await h.waitFor(isPush);
      const { conversationId } = sim.control.messaging.customerWrites({
        customer: customer(1),
        text: 'Hi there',
      });
      const offer = await h.waitFor(offerFor(conversationId));
      expect(offer).toMatchObject({ channel: 'open', body: expect.stringContaining('Hi there') });
      expect(offer['expiresAt']).toEqual(expect.any(Number));

      h.send({ type: 'accept', conversationId });
      await h.waitFor(result('accept'));
      await h.waitFor(withdraws(String(offer['messageId'])));

      const next = sim.control.messaging.customerWrites({ customer: customer(1), text: 'Where is order 7?' });
      const told = await h.waitFor(
        (l) => l['type'] === 'notification' && (l['messageIds'] as string[]).includes(next.messageId),
      );
      expect(told).toMatchObject({ kind: 'customer', chatId: conversationId, body: 'Where is order 7?' });

      const from = h.lines.length;
      h.send({ type: 'reply', chatId: conversationId, text: 'On its way.' });
      expect(await h.waitFor(result('reply'), 8000, from)).toMatchObject({ ok: true, state: 'queued' });
      await h.waitFor(
        (l) => l['type'] === 'action' && l['kind'] === 'reply' && l['state'] === 'sent',
        8000,
        from,
      );
      expect(sim.control.messaging.sent(conversationId).map((m) => m.text)).toEqual(['On its way.']);

      h.send({ type: 'end', conversationId });
      await h.waitFor(result('end'), 8000, from);
      const code = sim.control.messaging.integration().wrapupCodes[0]!.id;
      await new Promise((r) => setTimeout(r, 300)); // the wrap-up needs the ended snapshot
      h.send({ type: 'wrapup', conversationId, code, notes: 'shipped' });
      expect(await h.waitFor(result('wrapup'), 8000, from)).toMatchObject({ ok: true });
      const agent = sim.control.messaging
        .conversation(conversationId)
        .participants.filter((p) => p.userId === sim.demoUser.id)
        .at(-1)!;
      expect(agent).toMatchObject({ state: 'disconnected', wrapupCode: code });

      // Declined: withdrawn.
      const declined = sim.control.messaging.customerWrites({ customer: customer(2), text: 'Hello' });
      const offer2 = await h.waitFor(offerFor(declined.conversationId));
      h.send({ type: 'decline', conversationId: declined.conversationId });
      await h.waitFor(withdraws(String(offer2['messageId'])));

      // Timed out: withdrawn.
      const late = sim.control.messaging.customerWrites({ customer: customer(3), text: 'Hello?' });
      const offer3 = await h.waitFor(offerFor(late.conversationId));
      sim.control.messaging.timeoutOffer(late.conversationId);
      await h.waitFor(withdraws(String(offer3['messageId'])));

      // Each offer was told once.
      for (const id of [conversationId, declined.conversationId, late.conversationId])
        expect(h.lines.filter(offerFor(id))).toHaveLength(1);
      expect(h.lines.filter((l) => l['type'] === 'result' && l['ok'] === false)).toEqual([]);
    } finally {
      expect(await h.stop()).toBe(0);
    }
  }, 40_000);
});
