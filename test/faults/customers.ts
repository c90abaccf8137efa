// The customers' part of a fault round (runner.ts runs the rest): customers write the real way, over
// HTTP through the simulator's inbound Open Messaging API with a client-credentials token (their
// platform tries again after a 5xx or 429, with the same message id); the user accepts, declines,
// replies, ends and wraps up through the engine's messaging source, as from the notification (the
// offer, the customer's message) and, like a user, tries again after a passing failure. One chain per
// customer keeps each customer's steps in order, and the simulator's state is read right after each
// write (nothing else changes that conversation meanwhile), so "connected when written" is the truth.
import type { Engine } from '../../src/main/engine/engine.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { GenesysError } from '../../src/main/genesys/http.ts';
import type { CustomerDesk } from '../../src/main/messaging/desk.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import type { RequestLogEntry } from '../../src/simulator/types.ts';
import type { CustomerActionKind, CustomerObservation } from './customer-invariants.ts';
import type { CustomerAction } from './customer-schedule.ts';
import { calmStretch, CustomerTruth, type PendingAction } from './customer-truth.ts';
import { CustomerPlatform } from './inbound.ts';

export interface CustomerDeps {
  sim: Simulator;
  meId: string;
  tag: string;
  /** Every notification of the round so far (shared with the runner). */
  notifications: readonly NotificationOut[];
  /** The engine the user acts on (a restart in progress is waited out), or null. */
  running: (ms?: number) => Promise<{ engine: Engine } | null>;
  log: (line: string) => void;
  skipped: string[];
  /** The outbox's last word on a queued item (reply, end, wrap-up). */
  outboxItem: (id: string) => { state: string; error?: string } | undefined;
}

/**
 * How long the user waits to be told (an offer, a customer's message) before acting anyway, and
 * keeps trying an action that fails for a passing reason: longer than the soak's worst stall (a
 * 429 storm sending the real Retry-After, up to a minute, during which the engine sends nothing).
 */
const TOLD_WAIT_MS = 75_000;
const RETRY_FOR_MS = 75_000;
/** Offers time out when the script says (control), never by the simulator's own timer. */
const ALERTING_TIMEOUT_MS = 30 * 60_000;

const SAYS = [
  'my parcel has not arrived',
  'can I change the delivery address',
  'the invoice shows the wrong amount',
  'is the store open on Sunday',
  'I was charged twice',
  'thanks, that helps',
];

interface Slot {
  n: number;
  chain: Promise<void>;
  conversationId?: string;
  /** The offer now alerting (its participant id). */
  offer?: string;
  replies: Map<string, string>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class CustomerScript {
  private readonly d: CustomerDeps;
  private readonly slots = new Map<number, Slot>();
  /** The customers' messaging platform (the inbound Open Messaging API). */
  private readonly platform: CustomerPlatform;
  /** What the script did, and the simulator's request log: the truth the invariants judge on. */
  readonly truth = new CustomerTruth();
  private said = 0;

  constructor(deps: CustomerDeps) {
    this.d = deps;
    this.platform = new CustomerPlatform(deps.sim, deps.tag);
    deps.sim.control.messaging.configure({ alertingTimeoutMs: ALERTING_TIMEOUT_MS });
  }

  /** Queues `action` on its customer's chain (returns at once; `finish` waits for every chain). */
  perform(action: CustomerAction): void {
    const slot = this.slot(action.customer);
    slot.chain = slot.chain
      .then(() => this.run(slot, action))
      .catch((err: unknown) => {
        this.d.skipped.push(`${action.type} c${slot.n}: ${errText(err)}`);
      });
  }

  finish(): Promise<void> {
    return Promise.all([...this.slots.values()].map((s) => s.chain)).then(() => {});
  }

  /** The simulator's request log as the runner drains it. */
  record(entries: readonly RequestLogEntry[]): void {
    this.truth.record(entries);
  }

  /** A calm stretch of `ms` after settling: the requests made for customer conversations. */
  quiet(engine: Engine, ms: number): Promise<NonNullable<CustomerObservation['quiet']>> {
    return calmStretch(this.d.sim, engine, ms);
  }

  /** What the simulator holds, after the round (the request log closed). */
  observe(
    withdrawals: CustomerObservation['withdrawals'],
    quiet?: CustomerObservation['quiet'],
  ): CustomerObservation {
    return this.truth.observe(this.d.sim, this.d.meId, withdrawals, quiet, this.d.outboxItem);
  }

  // ---- the steps ---------------------------------------------------------------------------------

  private slot(n: number): Slot {
    let s = this.slots.get(n);
    if (!s) {
      s = { n, chain: Promise.resolve(), replies: new Map() };
      this.slots.set(n, s);
    }
    return s;
  }

  private async run(slot: Slot, a: CustomerAction): Promise<void> {
    const offerStep = `c${slot.n} ${a.type}`;
    switch (a.type) {
      case 'customer-write':
        return this.write(slot, a.id);
      case 'offer-accept':
      case 'offer-decline': {
        const pid = slot.offer;
        if (!pid || !slot.conversationId) return this.skip(offerStep, 'no offer alerting');
        await this.told(() => this.offerShown(pid), offerStep);
        this.truth.fates.set(pid, {
          fate: a.type === 'offer-accept' ? 'accept' : 'decline',
          mustNotify: true,
          step: offerStep,
        });
        const id = slot.conversationId;
        slot.offer = undefined;
        const kind = a.type === 'offer-accept' ? 'accept' : 'decline';
        return this.act(kind, offerStep, id, pid, (s) => (kind === 'accept' ? s.accept(id) : s.decline(id)));
      }
      case 'offer-timeout': {
        const pid = slot.offer;
        if (!pid || !slot.conversationId) return this.skip(offerStep, 'no offer alerting');
        if (a.seen) await this.told(() => this.offerShown(pid), offerStep);
        this.truth.fates.set(pid, { fate: 'timeout', mustNotify: a.seen, step: offerStep });
        slot.offer = undefined;
        this.d.sim.control.messaging.timeoutOffer(slot.conversationId);
        return;
      }
      case 'customer-reply': {
        const id = slot.conversationId;
        if (!id) return this.skip(`reply ${a.id}`, 'no conversation');
        await this.toldAllOf(id, `reply ${a.id}`);
        const text = `[${this.d.tag} ${a.id}] let me check that for you`;
        slot.replies.set(a.id, text);
        const pid = this.myLast(id);
        return this.act('reply', a.id, id, pid, (s) => s.reply(id, text), { text });
      }
      case 'customer-receipt':
        return this.receipt(slot, a.target, a.status);
      case 'customer-end': {
        const id = slot.conversationId;
        if (!id) return this.skip(offerStep, 'no conversation');
        await this.toldAllOf(id, offerStep);
        return this.act('end', offerStep, id, this.myLast(id), (s) => s.end(id));
      }
      case 'customer-wrapup': {
        const id = slot.conversationId;
        if (!id) return this.skip(offerStep, 'no conversation');
        const codes = this.d.sim.control.messaging.integration().wrapupCodes;
        const code = codes[a.code % codes.length]!.id;
        const notes = a.notes ? `wrapped up by ${this.d.tag}` : undefined;
        return this.act('wrapup', offerStep, id, this.myLast(id), (s) => s.wrapup(id, code, notes), { code });
      }
    }
  }

  private skip(step: string, why: string): void {
    this.d.skipped.push(`${step}: ${why}`);
  }

  private offerShown(pid: string): boolean {
    return this.d.notifications.some((n) => n.kind === 'offer' && n.messageId === `offer:${pid}`);
  }

  /**
   * As from the notifications: the user answers or ends once told of everything the customer wrote
   * while connected (an answered message found later by a catch-up is not told, batch.ts).
   */
  private toldAllOf(conversationId: string, step: string): Promise<void> {
    const waiting = this.truth.messages
      .filter((m) => m.conversationId === conversationId && m.connected)
      .map((m) => m.id);
    return this.told(
      () => waiting.every((w) => this.d.notifications.some((n) => n.messageIds.includes(w))),
      step,
    );
  }

  private async told(predicate: () => boolean, step: string): Promise<void> {
    const end = Date.now() + TOLD_WAIT_MS;
    while (!predicate()) {
      if (Date.now() > end) {
        this.d.log(`fault-runner: ${step}: not told within ${TOLD_WAIT_MS} ms, acting anyway`);
        return;
      }
      await sleep(25);
    }
  }

  private myLast(conversationId: string): string {
    const mine = this.d.sim.control.messaging
      .conversation(conversationId)
      .participants.filter((p) => p.purpose === 'agent' && p.userId === this.d.meId);
    return mine.at(-1)?.id ?? '';
  }

  /** A customer's message through the inbound API; the platform retries a 5xx or 429 with the same id. */
  private async write(slot: Slot, step: string): Promise<void> {
    const text = `[${this.d.tag} ${step}] ${SAYS[this.said++ % SAYS.length]}`;
    const answer = await this.platform.write(slot.n, `${this.d.tag}-${step}`, text);
    if ('error' in answer) return this.skip(step, answer.error);
    const { id, conversationId } = answer;
    // Read right away: the user's state in the conversation when the message arrived.
    const mine = this.d.sim.control.messaging
      .conversation(conversationId)
      .participants.filter((p) => p.purpose === 'agent' && p.userId === this.d.meId)
      .at(-1);
    if (slot.conversationId !== conversationId) slot.offer = mine?.state === 'alerting' ? mine.id : undefined;
    slot.conversationId = conversationId;
    this.truth.messages.push({ id, step, conversationId, connected: mine?.state === 'connected' });
  }

  private async receipt(slot: Slot, target: string, status: 'Delivered' | 'Read'): Promise<void> {
    const text = slot.replies.get(target);
    const id = slot.conversationId;
    const find = () =>
      text && id ? this.d.sim.control.messaging.sent(id).find((s) => s.text === text) : undefined;
    // The reply waits in the outbox until it is sent: the platform can only report it after.
    if (text && id) await this.told(() => find() !== undefined, `receipt ${target}`);
    const sent = find();
    if (!sent) return this.skip(`receipt ${status} ${target}`, 'the reply is not in the conversation yet');
    const answer = await this.platform.receipt(slot.n, sent.messageId, status);
    if ('error' in answer) this.skip(`receipt ${target}`, answer.error);
    else this.truth.receipts++;
  }

  /** The user's action through the engine's messaging source, tried again after a passing failure. */
  private async act(
    kind: CustomerActionKind,
    step: string,
    conversationId: string,
    participantId: string,
    fn: (s: CustomerDesk) => Promise<unknown>,
    extra: { text?: string; code?: string } = {},
  ): Promise<void> {
    const outcome = {
      step,
      kind,
      conversationId,
      participantId,
      done: false,
      attempts: 0,
      copies: 0,
      ...extra,
    } as PendingAction;
    this.truth.actions.push(outcome);
    const end = Date.now() + RETRY_FOR_MS;
    for (;;) {
      outcome.attempts++;
      try {
        const live = await this.d.running();
        const source = live?.engine.messaging();
        if (!source) throw new Error('no messaging source yet');
        const queued = await fn(source);
        // Reply, end and wrap-up resolve once queued in the outbox: its final word is looked up later.
        const id = (queued as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') outcome.outboxId = id;
        outcome.done = true;
        delete outcome.error;
        return;
      } catch (err) {
        outcome.error = errText(err);
        if (refusal(err) || Date.now() > end) return;
        await sleep(250);
      }
    }
  }
}

/** A refusal (the app's 409, a 4xx of the server) ends the user's attempts; anything else passes. */
function refusal(err: unknown): boolean {
  if (!(err instanceof GenesysError)) return false;
  if (err.code === 'unavailable' || err.kind !== 'http') return false;
  return (
    err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 408 && err.status !== 429
  );
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
