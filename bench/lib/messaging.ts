// Customer-conversation latency: from the moment the simulator accepted a customer's inbound message
// (`control.messaging.customerWrites` returned) to the moment the engine hands the notification to
// the notifier: for a new conversation, its offer (`messaging.offer_p99_ms`); in a connected one,
// the customer's message (`messaging.customer_p99_ms`, which includes reading its text over REST).
import type { Simulator } from '../../src/simulator/index.ts';
import { startBenchEngine, type BenchEngine } from './engine.ts';
import { quietSimulator } from './sim.ts';
import { jitter, percentile, round, sleep, until } from './util.ts';

export interface MessagingLatencyResult {
  offer: { p50: number; p99: number; n: number };
  customer: { p50: number; p99: number; n: number };
  /** Offers or messages that never notified within the wait. */
  lost: number;
}

const WAIT_MS = 10_000;

async function timeTo(shown: () => number | undefined, accepted: number): Promise<number | undefined> {
  try {
    return (await until(shown, 'a customer notification', WAIT_MS, 1)) - accepted;
  } catch {
    return undefined;
  }
}

function offerShownAt(run: BenchEngine, conversationId: string): number | undefined {
  const offer = run.shown.find((n) => n.kind === 'offer' && n.chatId === conversationId);
  return offer ? run.shownAt.get(offer.messageId) : undefined;
}

/** `samples` customers, one after another: each is offered, accepted, then writes once more. */
export async function measureMessagingLatency(opts: { samples: number }): Promise<MessagingLatencyResult> {
  const sim: Simulator = await quietSimulator({ seed: 5 });
  const run = await startBenchEngine(sim, { mode: 'push' });
  const offers: number[] = [];
  const messages: number[] = [];
  let lost = 0;
  try {
    await until(() => run.engine.state.get().interactions?.available || undefined, 'messaging', WAIT_MS, 10);
    for (let i = 0; i < opts.samples; i++) {
      const customer = {
        id: `+1555010${String(i).padStart(4, '0')}`,
        idType: 'Phone' as const,
        nickname: `C${i}`,
      };
      const first = sim.control.messaging.customerWrites({ customer, text: `Hello, order ${i}?` });
      const offered = await timeTo(() => offerShownAt(run, first.conversationId), performance.now());
      if (offered === undefined) {
        lost++;
        continue;
      }
      offers.push(offered);
      await run.engine.messaging()!.accept(first.conversationId);
      await sleep(jitter(20, 60));
      const next = sim.control.messaging.customerWrites({ customer, text: 'Any news?' });
      const told = await timeTo(() => run.shownAt.get(next.messageId), performance.now());
      if (told === undefined) lost++;
      else messages.push(told);
      await run.engine
        .messaging()!
        .end(first.conversationId)
        .catch(() => {});
      await sleep(jitter(20, 60));
    }
  } finally {
    await run.stop();
    await sim.close();
  }
  const stats = (s: number[]) => ({
    p50: round(percentile(s, 50)),
    p99: round(percentile(s, 99)),
    n: s.length,
  });
  return { offer: stats(offers), customer: stats(messages), lost };
}
