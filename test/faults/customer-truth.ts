// The truth of the customers' part of a fault round (customers.ts plays it): what the script did
// (customer messages with the user's state when each arrived, offers' fates, the user's actions),
// the accepted messaging writes from the simulator's request log, and, after the round, what the
// simulator holds for each action (applied how many times, when, leaving which state), judged
// here, never from the engine. Also the calm stretch after settling.
import type { Engine } from '../../src/main/engine/engine.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import type { RequestLogEntry } from '../../src/simulator/types.ts';
import type {
  CustomerActionOutcome,
  CustomerObservation,
  TruthCustomerMessage,
  TruthOffer,
} from './customer-invariants.ts';
import type { OfferFate } from './customer-schedule.ts';

/** An action as the script records it: with what judging it on the simulator needs. */
export interface PendingAction extends CustomerActionOutcome {
  participantId: string;
  /** A reply's text. */
  text?: string;
  /** A wrap-up's code id. */
  code?: string;
  /** Reply, end and wrap-up: the outbox item. */
  outboxId?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class CustomerTruth {
  readonly messages: TruthCustomerMessage[] = [];
  /** Offers by participant id: what the script did with each. */
  readonly fates = new Map<string, { fate: OfferFate; mustNotify: boolean; step: string }>();
  readonly actions: PendingAction[] = [];
  private readonly mutations: RequestLogEntry[] = [];
  receipts = 0;

  /** The simulator's request log as the runner drains it: the accepted messaging writes are kept. */
  record(entries: readonly RequestLogEntry[]): void {
    for (const e of entries)
      if (
        e.status >= 200 &&
        e.status < 300 &&
        (e.method === 'PATCH' || e.method === 'POST') &&
        e.path.startsWith('/api/v2/conversations/messages/') &&
        !e.path.includes('/inbound/')
      )
        this.mutations.push(e);
  }

  /** What the simulator holds, after the round (the request log closed). */
  observe(
    sim: Simulator,
    meId: string,
    withdrawals: CustomerObservation['withdrawals'],
    quiet?: CustomerObservation['quiet'],
    outboxItem?: (id: string) => { state: string; error?: string } | undefined,
  ): CustomerObservation {
    const m = sim.control.messaging;
    const conversations = [...new Set(this.messages.map((x) => x.conversationId))];
    const offers: TruthOffer[] = [];
    const silent: CustomerObservation['silent'] = [];
    for (const id of conversations) {
      const c = m.conversation(id);
      for (const p of c.participants) {
        if (p.purpose !== 'agent' || p.userId !== meId) continue;
        const known = this.fates.get(p.id);
        offers.push({
          messageId: `offer:${p.id}`,
          conversationId: id,
          step: known?.step ?? `offer in ${id}`,
          fate: known?.fate ?? (p.state === 'alerting' ? 'open' : 'timeout'),
          mustNotify: known?.mustNotify ?? false,
        });
      }
      for (const msg of c.messages)
        if (msg.author === 'bot' || msg.author === 'agent') silent.push({ id: msg.id, why: msg.author });
    }
    const actions = this.actions.map(({ participantId, text, code, outboxId, ...a }) => {
      const item = outboxId ? outboxItem?.(outboxId) : undefined;
      const judged = this.judge(sim, a, participantId, text, code);
      return item?.state === 'failed' || (item && item.state !== 'sent')
        ? { ...judged, error: `the outbox item ended ${item.state}${item.error ? `: ${item.error}` : ''}` }
        : judged;
    });
    return {
      conversations,
      offers,
      messages: [...this.messages],
      silent,
      receipts: this.receipts,
      actions,
      withdrawals,
      ...(quiet ? { quiet } : {}),
    };
  }

  /** Counts and checks one action on the simulator's truth. */
  private judge(
    sim: Simulator,
    a: CustomerActionOutcome,
    participantId: string,
    text: string | undefined,
    code: string | undefined,
  ): CustomerActionOutcome {
    const m = sim.control.messaging;
    const p = m.conversation(a.conversationId).participants.find((x) => x.id === participantId);
    const onParticipant = new RegExp(`/participants/${participantId}(/communications/[^/]+)?$`);
    const patches = (state: string): RequestLogEntry[] =>
      this.mutations.filter(
        (e) =>
          e.method === 'PATCH' &&
          onParticipant.test(e.path) &&
          (e.body as { state?: string })?.state === state,
      );
    let landed: RequestLogEntry[] = [];
    let copies = 0;
    let truthError: string | undefined;
    switch (a.kind) {
      case 'reply':
        copies = m.sent(a.conversationId).filter((s) => s.text === text).length;
        landed = this.mutations.filter(
          (e) => e.method === 'POST' && (e.body as { textBody?: string })?.textBody === text,
        );
        break;
      case 'accept':
        landed = patches('connected');
        copies = landed.length;
        if (p?.state !== 'connected' && !(p?.state === 'disconnected' && p.wrapupRequired))
          truthError = `the participant is ${p?.state ?? 'missing'}`;
        break;
      case 'decline':
        landed = patches('disconnected');
        copies = landed.length;
        if (p?.state !== 'disconnected' || p.disconnectType !== 'client' || p.wrapupRequired)
          truthError = `the offer ended ${p?.state}/${p?.disconnectType ?? '-'}${p?.wrapupRequired ? ' owing a wrap-up' : ''}`;
        break;
      case 'end':
        landed = patches('disconnected');
        copies = landed.length;
        if (p?.state !== 'disconnected' || !p.wrapupRequired)
          truthError = `the participant is ${p?.state}, wrap-up ${p?.wrapupRequired ? 'required' : 'not required'}`;
        break;
      case 'wrapup':
        landed = this.mutations.filter(
          (e) =>
            e.method === 'POST' &&
            onParticipant.test(e.path.replace(/\/wrapup$/, '')) &&
            e.path.endsWith('/wrapup'),
        );
        copies = landed.length;
        if (p?.wrapupCode !== code)
          truthError = `the wrap-up code is ${p?.wrapupCode ?? 'none'}, not ${code}`;
        break;
    }
    return {
      ...a,
      copies,
      ...(landed[0] ? { landedAt: landed[0].receivedAt } : {}),
      ...(truthError ? { truthError } : {}),
    };
  }
}

/** A calm stretch of `ms` with push up: the requests the engine made for customer conversations. */
export async function calmStretch(
  sim: Simulator,
  engine: Engine,
  ms: number,
): Promise<NonNullable<CustomerObservation['quiet']>> {
  await engine.idle();
  await engine.messaging()?.idle();
  const up = (): boolean => engine.state.get().connection === 'push';
  let push = up();
  sim.control.clearRequests();
  const watch = setInterval(() => (push &&= up()), 20);
  await sleep(ms);
  clearInterval(watch);
  push &&= up();
  const made = sim.control.requests().entries.filter((e) => e.path.startsWith('/api/v2/conversations'));
  return {
    ms,
    requests: made.length,
    active: engine.messaging()?.list().length ?? 0,
    push,
    paths: made.map((e) => `${e.method} ${e.path}`),
  };
}
