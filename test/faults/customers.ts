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
import type { MessagingSource } from '../../src/main/messaging/source.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import type { RequestLogEntry } from '../../src/simulator/types.ts';
import type {
  CustomerActionKind,
  CustomerActionOutcome,
  CustomerObservation,
  TruthCustomerMessage,
  TruthOffer,
} from './customer-invariants.ts';
import type { CustomerAction, OfferFate } from './customer-schedule.ts';

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
  private readonly integrationId: string;
  private readonly token: string;
  private readonly messages: TruthCustomerMessage[] = [];
  private readonly fates = new Map<string, { fate: OfferFate; mustNotify: boolean; step: string }>();
  private readonly actions: (CustomerActionOutcome & {
    participantId: string;
    text?: string;
    code?: string;
  })[] = [];
  private readonly mutations: RequestLogEntry[] = [];
  private receipts = 0;
  private said = 0;

  constructor(deps: CustomerDeps) {
    this.d = deps;
    this.integrationId = deps.sim.control.messaging.integration().id;
    this.token = deps.sim.control.clientToken('open-messaging-integration').accessToken;
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

  /** A calm stretch of `ms` with push up: the requests made for customer conversations. */
  async quiet(engine: Engine, ms: number): Promise<NonNullable<CustomerObservation['quiet']>> {
    const { sim } = this.d;
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

  /** What the simulator holds, after the round (the request log closed). */
  observe(
    withdrawals: CustomerObservation['withdrawals'],
    quiet?: CustomerObservation['quiet'],
  ): CustomerObservation {
    const m = this.d.sim.control.messaging;
    const conversations = [...new Set(this.messages.map((x) => x.conversationId))];
    const offers: TruthOffer[] = [];
    const silent: CustomerObservation['silent'] = [];
    for (const id of conversations) {
      const c = m.conversation(id);
      for (const p of c.participants) {
        if (p.purpose !== 'agent' || p.userId !== this.d.meId) continue;
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
    const actions = this.actions.map(({ participantId, text, code, ...a }) =>
      this.judge(a, participantId, text, code),
    );
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
        this.fates.set(pid, {
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
        this.fates.set(pid, { fate: 'timeout', mustNotify: a.seen, step: offerStep });
        slot.offer = undefined;
        this.d.sim.control.messaging.timeoutOffer(slot.conversationId);
        return;
      }
      case 'customer-reply': {
        const id = slot.conversationId;
        if (!id) return this.skip(`reply ${a.id}`, 'no conversation');
        // As from the notification: the user answers once told of what the customer wrote.
        const waiting = this.messages.filter((m) => m.conversationId === id && m.connected).map((m) => m.id);
        await this.told(
          () => waiting.every((w) => this.d.notifications.some((n) => n.messageIds.includes(w))),
          `reply ${a.id}`,
        );
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
    const customer = {
      id: `fault-${this.d.tag}-c${slot.n}`,
      idType: 'Opaque',
      nickname: `Customer ${slot.n}`,
    };
    const text = `[${this.d.tag} ${step}] ${SAYS[this.said++ % SAYS.length]}`;
    const body = {
      channel: { from: customer, time: new Date().toISOString(), messageId: `${this.d.tag}-${step}` },
      text,
    };
    const answer = await this.inbound('message?prefetchConversationId=true', body, step);
    if (!answer) return;
    const { id, conversationId } = answer as { id: string; conversationId: string };
    // Read right away: the user's state in the conversation when the message arrived.
    const mine = this.d.sim.control.messaging
      .conversation(conversationId)
      .participants.filter((p) => p.purpose === 'agent' && p.userId === this.d.meId)
      .at(-1);
    if (slot.conversationId !== conversationId) slot.offer = mine?.state === 'alerting' ? mine.id : undefined;
    slot.conversationId = conversationId;
    this.messages.push({ id, step, conversationId, connected: mine?.state === 'connected' });
  }

  private async receipt(slot: Slot, target: string, status: 'Delivered' | 'Read'): Promise<void> {
    const text = slot.replies.get(target);
    const id = slot.conversationId;
    const sent = text && id ? this.d.sim.control.messaging.sent(id).find((s) => s.text === text) : undefined;
    if (!sent) return this.skip(`receipt ${status} ${target}`, 'the reply is not in the conversation yet');
    const to = { id: `fault-${this.d.tag}-c${slot.n}`, idType: 'Opaque' };
    const body = { id: sent.messageId, channel: { to, time: new Date().toISOString() }, status };
    if (await this.inbound('receipt', body, `receipt ${target}`)) this.receipts++;
  }

  private async inbound(what: string, body: unknown, step: string): Promise<unknown> {
    const { sim } = this.d;
    const url = `${sim.url}/api/v2/conversations/messages/${this.integrationId}/inbound/open/${what}`;
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.ok) return res.json();
      if ((res.status === 429 || res.status >= 500) && attempt < 60) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1_000 : 200);
        continue;
      }
      this.skip(step, `inbound ${what} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return undefined;
    }
  }

  /** The user's action through the engine's messaging source, tried again after a passing failure. */
  private async act(
    kind: CustomerActionKind,
    step: string,
    conversationId: string,
    participantId: string,
    fn: (s: MessagingSource) => Promise<unknown>,
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
    } as CustomerActionOutcome & { participantId: string; text?: string; code?: string };
    this.actions.push(outcome);
    const end = Date.now() + RETRY_FOR_MS;
    for (;;) {
      outcome.attempts++;
      try {
        const live = await this.d.running();
        const source = live?.engine.messaging();
        if (!source) throw new Error('no messaging source yet');
        await fn(source);
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

  /** Counts and checks one action on the simulator's truth. */
  private judge(
    a: CustomerActionOutcome,
    participantId: string,
    text: string | undefined,
    code: string | undefined,
  ): CustomerActionOutcome {
    const m = this.d.sim.control.messaging;
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
