// Occasional customers for the demo org (only while traffic is on): a new customer writes, a
// waiting customer writes again, an unanswered conversation is offered again, and the customers'
// platform acknowledges the agent's replies (delivered, then read). Everything goes through the
// inbound Open Messaging code path, seeded, on unref'd timers.
import { iso } from '../clock.ts';
import type { Prng } from '../prng.ts';
import type { MessagingContext } from './context.ts';
import { ATTACHMENT, CUSTOMERS, FOLLOW_UPS, OPENERS } from './demo.ts';
import { receiveMessage, receiveReceipt } from './inbound.ts';
import type { ConversationRecord, CustomerRecord, MessageEntry } from './model.ts';
import { agentsOf } from './model.ts';
import type { ReceiptStatus } from './vocabulary.ts';

export interface CustomerTrafficOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
}

/** Customers come a few times less often than colleagues' chat traffic. */
export const DEFAULT_CUSTOMER_TRAFFIC: CustomerTrafficOptions = {
  minIntervalMs: 60_000,
  maxIntervalMs: 240_000,
};
const MAX_ACTIVE = 3;
/** After this many unanswered offers a waiting customer gives up (keeps a long demo bounded). */
const MAX_OFFERS = 3;
const RECEIPT_DELAYS: [ReceiptStatus, number][] = [
  ['Delivered', 800],
  ['Read', 4000],
];

export function customerMessageBody(
  customer: CustomerRecord,
  text: string | undefined,
  atMs: number,
  extra: {
    providerMessageId?: string;
    attachment?: boolean;
  } = {},
): Record<string, unknown> {
  return {
    channel: {
      from: {
        id: customer.id,
        idType: customer.idType,
        ...(customer.nickname ? { nickname: customer.nickname } : {}),
        ...(customer.firstName ? { firstName: customer.firstName } : {}),
        ...(customer.lastName ? { lastName: customer.lastName } : {}),
      },
      time: iso(atMs),
      ...(extra.providerMessageId ? { messageId: extra.providerMessageId } : {}),
    },
    ...(text !== undefined ? { text } : {}),
    ...(extra.attachment ? { content: [{ attachment: { ...ATTACHMENT } }] } : {}),
  };
}

export class CustomerTraffic {
  readonly #ctx: MessagingContext;
  readonly #rng: Prng;
  readonly #onError: (err: unknown) => void;
  readonly #pending = new Set<NodeJS.Timeout>();
  #timer: NodeJS.Timeout | null = null;
  #options: CustomerTrafficOptions = { ...DEFAULT_CUSTOMER_TRAFFIC };

  constructor(ctx: MessagingContext, rng: Prng, onError: (err: unknown) => void) {
    this.#ctx = ctx;
    this.#rng = rng;
    this.#onError = onError;
    ctx.store.subscribe((event) => {
      if (event.type === 'sent' && this.running) this.#acknowledge(event.message);
    });
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  start(options: Partial<CustomerTrafficOptions> = {}): void {
    const min = Math.max(1, Math.trunc(options.minIntervalMs ?? DEFAULT_CUSTOMER_TRAFFIC.minIntervalMs));
    const max = Math.max(min, Math.trunc(options.maxIntervalMs ?? DEFAULT_CUSTOMER_TRAFFIC.maxIntervalMs));
    this.#options = { minIntervalMs: min, maxIntervalMs: max };
    this.stop();
    this.#schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const t of this.#pending) clearTimeout(t);
    this.#pending.clear();
  }

  #schedule(): void {
    this.#timer = setTimeout(
      () => {
        this.tick();
        if (this.#timer) this.#schedule();
      },
      this.#rng.int(this.#options.minIntervalMs, this.#options.maxIntervalMs),
    );
    this.#timer.unref();
  }

  /** The customers' platform confirms an agent's message: delivered, then read. */
  #acknowledge(message: MessageEntry): void {
    for (const [status, delay] of RECEIPT_DELAYS) {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        try {
          const conversation = this.#ctx.store.conversations.get(message.conversationId);
          if (conversation) this.#receipt(conversation, message, status);
        } catch (err) {
          this.#onError(err);
        }
      }, delay);
      timer.unref();
      this.#pending.add(timer);
    }
  }

  #receipt(conversation: ConversationRecord, message: MessageEntry, status: ReceiptStatus): void {
    receiveReceipt(this.#ctx, conversation.integration, {
      id: message.id,
      channel: {
        to: { id: conversation.customer.id, idType: conversation.customer.idType },
        time: iso(this.#ctx.store.clock.now()),
      },
      status,
    });
  }

  #write(customer: CustomerRecord, text: string, attachment = false): ConversationRecord {
    const ctx = this.#ctx;
    const body = customerMessageBody(customer, text, ctx.store.clock.now(), {
      providerMessageId: `demo-${this.#rng.hex(12)}`,
      attachment,
    });
    return receiveMessage(ctx, ctx.integration, body).conversation;
  }

  /** One customer action now; says what it did, or null when nothing applied. */
  tick(): string | null {
    try {
      return this.#perform();
    } catch (err) {
      this.#onError(err);
      return null;
    }
  }

  #perform(): string | null {
    const ctx = this.#ctx;
    const rng = this.#rng;
    const active = [...ctx.store.conversations.values()].filter((c) => c.endMs === undefined);
    const agent = ctx.settings.agentUserId;
    const waiting = active.filter(
      (c) =>
        !agentsOf(c).some((p) => p.communication.state !== 'disconnected') && ctx.store.permitted.has(agent),
    );
    if (waiting.length > 0 && rng.chance(0.5)) {
      const conversation = rng.pick(waiting);
      const name = conversation.customer.nickname ?? conversation.customer.id;
      if (agentsOf(conversation).length >= MAX_OFFERS) {
        ctx.routing.abandon(conversation);
        return `${name} gave up waiting`;
      }
      ctx.routing.offer(conversation, agent);
      return `offered ${name} again`;
    }
    const answered = active.filter((c) => {
      const messages = ctx.store.messagesOf(c);
      const last = messages[messages.length - 1];
      return last?.author === 'agent';
    });
    if (answered.length > 0 && rng.chance(0.6)) {
      const conversation = rng.pick(answered);
      const text = rng.pick(FOLLOW_UPS);
      this.#write(conversation.customer, text, text.includes('screenshot'));
      return `${conversation.customer.nickname ?? conversation.customer.id} wrote again`;
    }
    const idle = CUSTOMERS.filter((c) => !active.some((a) => a.customer.id === c.id));
    if (active.length >= MAX_ACTIVE || idle.length === 0) return null;
    const customer = rng.pick(idle);
    this.#write(customer, rng.pick(OPENERS));
    return `new customer ${customer.nickname ?? customer.id}`;
  }
}
