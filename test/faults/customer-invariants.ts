// The fault suite's invariants for customer conversations, as pure functions of what the script did
// (which customer wrote what, while the user's interaction was in which state: the simulator's truth
// at the moment of writing), what the engine showed and withdrew, and what the simulator holds for the
// user's actions. invariants.ts `checkRound` calls `checkCustomers` with the notifications of
// customer conversations.
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import type { OfferFate } from './customer-schedule.ts';

/** A message a scripted customer wrote through the inbound Open Messaging API. */
export interface TruthCustomerMessage {
  id: string;
  step: string;
  conversationId: string;
  /** The user's interaction was connected when it arrived (the simulator's state right then). */
  connected: boolean;
}

/** One offer to the user: one agent participant of the user that alerted. */
export interface TruthOffer {
  /** As the engine names it: `offer:<participantId>`. */
  messageId: string;
  conversationId: string;
  step: string;
  /** What ended it (`open`: still alerting when the round ended). */
  fate: OfferFate | 'open';
  /** The offer alerted until the user had seen it (the script waited for it): exactly once. Else at most once. */
  mustNotify: boolean;
}

export type CustomerActionKind = 'accept' | 'decline' | 'reply' | 'end' | 'wrapup';

/** One of the user's actions on a customer conversation, and what the simulator holds for it. */
export interface CustomerActionOutcome {
  step: string;
  kind: CustomerActionKind;
  conversationId: string;
  /** The engine took it without a refusal (transient failures are tried again, as a user would). */
  done: boolean;
  error?: string;
  attempts: number;
  /**
   * How many times the simulator holds it: replies, the agent messages with its text in the
   * conversation; accept, decline, end and wrap-up, the accepted requests that made the change.
   */
  copies: number;
  /** When the simulator received the request that applied it (real epoch ms). */
  landedAt?: number;
  /** What is wrong with the simulator's final state for it, if anything. */
  truthError?: string;
}

export interface CustomerObservation {
  conversations: string[];
  offers: TruthOffer[];
  messages: TruthCustomerMessage[];
  /** Messages in those conversations that must never notify: the bot's and the user's own. */
  silent: { id: string; why: 'bot' | 'agent' }[];
  /** Status-only changes the customers' platform sent (delivered, read). */
  receipts: number;
  actions: CustomerActionOutcome[];
  /** Every withdraw the engine made: `after` notifications had been shown before it. */
  withdrawals: { after: number; ids: string[] }[];
  /**
   * A calm stretch after settling, push up throughout: the requests the engine made for customer
   * conversations (there should be none: no per-interaction polling) with `active` interactions.
   */
  quiet?: { ms: number; requests: number; active: number; push: boolean; paths?: string[] };
}

export interface CustomerCounts {
  customerMessages: number;
  customerNotifiable: number;
  customerNotified: number;
  offers: number;
  offersNotifiable: number;
  offersNotified: number;
  offersWithdrawn: number;
  receipts: number;
  customerActions: number;
  customerActionsApplied: number;
}

export function emptyCustomerCounts(): CustomerCounts {
  return {
    customerMessages: 0,
    customerNotifiable: 0,
    customerNotified: 0,
    offers: 0,
    offersNotifiable: 0,
    offersNotified: 0,
    offersWithdrawn: 0,
    receipts: 0,
    customerActions: 0,
    customerActionsApplied: 0,
  };
}

// EXCLUSIONS (customer conversations):
// - An offer that ended before the user could see it (timed out "blind", possibly while push was
//   disturbed or the engine down) may be notified at most once, not exactly once.
// - An offer shown after it ended (its alerting event handled late) is no failure, as long as it is
//   withdrawn afterwards.

/** Whether `notifications[index]` was withdrawn by a later withdraw. */
function withdrawnAfter(c: CustomerObservation, index: number, id: string): boolean {
  return c.withdrawals.some((w) => w.after > index && w.ids.includes(id));
}

/**
 * Checks the customer conversations of a round. `notifications` are all the round's notifications
 * (indices matter for withdrawals); only those of `c.conversations` and offers are looked at.
 */
export function checkCustomers(
  notifications: readonly NotificationOut[],
  c: CustomerObservation,
): { counts: CustomerCounts; failures: string[] } {
  const failures: string[] = [];
  const counts: CustomerCounts = {
    ...emptyCustomerCounts(),
    customerMessages: c.messages.length,
    offers: c.offers.length,
    receipts: c.receipts,
  };
  const conversations = new Set(c.conversations);
  const offerShown = new Map<string, number[]>();
  const told = new Map<string, number>();
  notifications.forEach((n, index) => {
    if (n.kind === 'offer') {
      offerShown.set(n.messageId, [...(offerShown.get(n.messageId) ?? []), index]);
      return;
    }
    if (!conversations.has(n.chatId)) return;
    if (n.kind !== 'customer' && n.kind !== 'digest')
      failures.push(`forbidden: a ${n.kind} notification in customer conversation ${n.chatId}`);
    for (const id of new Set(n.messageIds)) told.set(id, (told.get(id) ?? 0) + 1);
  });

  // Offers: exactly once when the user saw them alerting, at most once else; withdrawn once ended.
  const offerIds = new Set(c.offers.map((o) => o.messageId));
  for (const o of c.offers) {
    const shown = offerShown.get(o.messageId) ?? [];
    if (o.mustNotify) counts.offersNotifiable++;
    if (shown.length === 1 && o.mustNotify) counts.offersNotified++;
    if (shown.length > 1)
      failures.push(`duplicate: offer ${o.step} (${o.messageId}) notified ${shown.length}x`);
    else if (shown.length === 0 && o.mustNotify)
      failures.push(`missed: offer ${o.step} (${o.messageId}, ${o.fate}) was never notified`);
    if (shown.length > 0 && o.fate !== 'open') {
      if (withdrawnAfter(c, shown[0]!, o.messageId)) counts.offersWithdrawn++;
      else failures.push(`not withdrawn: offer ${o.step} (${o.messageId}) ended (${o.fate}) but still shows`);
    }
  }
  for (const [id, shown] of offerShown)
    if (!offerIds.has(id))
      failures.push(`forbidden: offer ${id} notified ${shown.length}x but never alerted to the user`);

  // Customer messages: exactly once while connected, never otherwise; bot and own messages never.
  const known = new Set<string>();
  for (const m of c.messages) {
    known.add(m.id);
    const times = told.get(m.id) ?? 0;
    if (!m.connected) {
      if (times > 0)
        failures.push(`forbidden: ${m.step} (${m.id}) notified ${times}x, written while not connected`);
      continue;
    }
    counts.customerNotifiable++;
    if (times === 1) counts.customerNotified++;
    else if (times === 0) failures.push(`missed: customer message ${m.step} (${m.id}) was never notified`);
    else failures.push(`duplicate: customer message ${m.step} (${m.id}) notified ${times}x`);
  }
  for (const s of c.silent) {
    known.add(s.id);
    const times = told.get(s.id) ?? 0;
    if (times > 0) failures.push(`forbidden: a ${s.why} message (${s.id}) notified ${times}x`);
  }
  for (const [id, times] of told)
    if (!known.has(id))
      failures.push(`forbidden: ${id} notified ${times}x in a customer conversation, no customer wrote it`);

  // The user's actions: done, applied exactly once on the simulator, in order per conversation.
  const lastLanded = new Map<string, { at: number; step: string }>();
  for (const a of c.actions) {
    counts.customerActions++;
    const what = `${a.kind} ${a.step}`;
    if (!a.done) {
      failures.push(`refused: ${what} (${a.error ?? 'no answer'}) after ${a.attempts} attempt(s)`);
      if (a.copies > 0) failures.push(`applied though refused: ${what}`);
      continue;
    }
    if (a.copies > 1) failures.push(`double-applied: ${what} is in the simulator ${a.copies}x`);
    else if (a.copies === 0)
      failures.push(`not applied: ${what} is not in the simulator${a.error ? ` (${a.error})` : ''}`);
    if (a.truthError) failures.push(`wrong state: ${what}: ${a.truthError}`);
    if (a.copies === 1 && !a.truthError) counts.customerActionsApplied++;
    if (a.landedAt === undefined) continue;
    const before = lastLanded.get(a.conversationId);
    if (before && a.landedAt < before.at) failures.push(`out of order: ${what} landed before ${before.step}`);
    lastLanded.set(a.conversationId, { at: a.landedAt, step: what });
  }

  const q = c.quiet;
  if (q && q.push && q.requests > 0)
    failures.push(
      `steady requests: ${q.requests} customer-conversation request(s) in ${q.ms} ms of calm push with ${q.active} active interaction(s)` +
        (q.paths?.length ? ` (${q.paths.join(', ')})` : ''),
    );
  return { counts, failures };
}
