// The customers' part of a fault schedule: customers who write through the inbound Open Messaging
// API, the offers they bring (accepted, declined or left to time out), the user's replies, ends and
// wrap-ups, and the receipts of the customers' platform. Pure and seeded like schedule.ts; every
// step names its customer by slot (`customer`: 0, 1, ...), and the runner keeps one chain per
// customer so that a customer's steps happen in order.
import type { Prng } from '../../src/simulator/prng.ts';

/** What happens to a customer's offer. */
export type OfferFate = 'accept' | 'decline' | 'timeout';

export type CustomerAction =
  /** The customer writes (the first message starts a conversation, offered to the user). */
  | { type: 'customer-write'; id: string; customer: number }
  /** The user accepts the offer, from its notification. */
  | { type: 'offer-accept'; customer: number }
  /** The user declines the offer, from its notification. */
  | { type: 'offer-decline'; customer: number }
  /**
   * The offer's alerting timeout passes. `seen`: after the user was shown the offer (waited for);
   * otherwise whenever it falls, possibly before the engine could see it.
   */
  | { type: 'offer-timeout'; customer: number; seen: boolean }
  /** The user replies in the connected conversation (after being told of the customer's message). */
  | { type: 'customer-reply'; id: string; customer: number }
  /** The customer's platform reports one of the user's replies delivered or read (status only). */
  | { type: 'customer-receipt'; target: string; customer: number; status: 'Delivered' | 'Read' }
  /** The user ends the interaction. */
  | { type: 'customer-end'; customer: number }
  /** The user wraps up with the `code`-th wrap-up code of the queue. */
  | { type: 'customer-wrapup'; customer: number; code: number; notes: boolean };

export interface CustomerSpec {
  customers: [number, number];
  /** Customers arrive before this share of the round. */
  arrivalSpan: number;
}

interface TimedAction {
  at: number;
  action: CustomerAction;
}

/**
 * The customers' steps of a round of `durationMs`. Short rounds (`cover`) always have one offer of
 * each fate, and their first accepted customer is answered, ended and wrapped up. Restarts (their
 * start and down time) get a message from a customer the user accepted before, written while the
 * engine is down.
 */
export function customerSteps(
  r: Prng,
  spec: CustomerSpec,
  durationMs: number,
  restarts: { at: number; downMs: number }[],
  cover: boolean,
): TimedAction[] {
  const out: TimedAction[] = [];
  const n = r.int(spec.customers[0], spec.customers[1]);
  const fates: OfferFate[] = cover ? ['accept', 'accept', 'decline', 'timeout'] : [];
  while (fates.length < n) fates.push(r.pick(['accept', 'accept', 'decline', 'timeout'] as const));
  const order = r.sample(fates, fates.length);
  const end = durationMs - 200;
  const accepted: { customer: number; acceptAt: number; endAt: number }[] = [];
  let writes = 0;
  let replies = 0;
  let fullLife = cover;
  // In a short round, the second accepted customer stays connected (written to across a restart).
  let keepOpen = false;

  order.forEach((fate, customer) => {
    const steps: TimedAction[] = [];
    let t = r.int(300, Math.round(durationMs * spec.arrivalSpan));
    const push = (action: CustomerAction): void => {
      steps.push({ at: t, action });
    };
    push({ type: 'customer-write', id: `w${writes++}`, customer });
    t += r.int(400, 1_200);
    if (fate === 'accept') {
      push({ type: 'offer-accept', customer });
      const acceptAt = t;
      const later = r.int(1, 3);
      const mine: string[] = [];
      for (let i = 0; i < later && t < end - 2_000; i++) {
        t += r.int(500, 1_200);
        push({ type: 'customer-write', id: `w${writes++}`, customer });
        if (r.chance(0.7) || (fullLife && mine.length === 0)) {
          t += r.int(300, 800);
          const id = `q${replies++}`;
          mine.push(id);
          push({ type: 'customer-reply', id, customer });
        }
      }
      for (const id of mine) {
        if (!r.chance(0.6)) continue;
        t += r.int(200, 500);
        push({ type: 'customer-receipt', target: id, customer, status: 'Delivered' });
        if (r.chance(0.5)) {
          t += r.int(200, 500);
          push({ type: 'customer-receipt', target: id, customer, status: 'Read' });
        }
      }
      let endAt = Infinity;
      const open = keepOpen;
      keepOpen = cover && fullLife;
      if (!open && (fullLife || r.chance(0.6))) {
        t += r.int(300, 800);
        endAt = t;
        push({ type: 'customer-end', customer });
        if (fullLife || r.chance(0.8)) {
          t += r.int(200, 600);
          push({ type: 'customer-wrapup', customer, code: r.int(0, 3), notes: r.chance(0.5) });
        }
        fullLife = false;
      }
      accepted.push({ customer, acceptAt, endAt: endAt <= end ? endAt : Infinity });
    } else {
      if (fate === 'decline') push({ type: 'offer-decline', customer });
      else push({ type: 'offer-timeout', customer, seen: r.chance(0.5) });
      // Writing again after the offer ended: in the transcript, never notified.
      if (r.chance(0.5)) {
        t += r.int(300, 1_000);
        push({ type: 'customer-write', id: `w${writes++}`, customer });
      }
    }
    // A customer's steps that would not fit the round are left out (the life is cut short).
    out.push(...steps.filter((s) => s.at <= end));
  });

  // While the engine is down for a restart, a customer the user talks to writes.
  for (const restart of restarts) {
    const candidates = accepted.filter(
      (a) => a.acceptAt < restart.at - 300 && a.endAt > restart.at + restart.downMs + 300,
    );
    if (candidates.length === 0) continue;
    const { customer } = r.pick(candidates);
    const at = restart.at + r.int(10, Math.max(10, restart.downMs - 10));
    out.push({ at, action: { type: 'customer-write', id: `w${writes++}`, customer } });
  }
  return out;
}

/** Steps of the customers' part with a customer slot (all of them). */
export function isCustomerAction(a: { type: string }): a is CustomerAction {
  return a.type.startsWith('customer-') || a.type.startsWith('offer-');
}
