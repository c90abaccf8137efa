// The user's customer conversations as the popup, the notifications and the headless runner use them:
// reads, accept, decline and typing go straight to the connection's messaging source; a reply, an end
// and a wrap-up are queued in the engine's outbox (saved first, sent once connected, retried, never
// applied twice) and resolve once queued, with the queued item (its state then changes in the outbox).
import type { OutboxView } from '../engine/engine-state.ts';
import type { OutboxAction } from '../engine/outbox/schema.ts';
import type { MessagingSource } from './source.ts';
import type { Interaction, MessagingAvailability, TranscriptEntry, WrapupCode } from './types.ts';

/** Queues one of the user's actions in the engine's outbox (Engine.act). */
export type QueueAction = (action: OutboxAction) => Promise<OutboxView>;

export class CustomerDesk {
  readonly #source: MessagingSource;
  readonly #queue: QueueAction;

  constructor(source: MessagingSource, queue: QueueAction) {
    this.#source = source;
    this.#queue = queue;
  }

  availability(): MessagingAvailability {
    return this.#source.availability();
  }

  list(): Interaction[] {
    return this.#source.list();
  }

  transcript(conversationId: string): Promise<TranscriptEntry[]> {
    return this.#source.transcript(conversationId);
  }

  /** Direct: an offer is on a timer, so the user learns at once whether accepting worked. */
  accept(conversationId: string): Promise<void> {
    return this.#source.accept(conversationId);
  }

  /** Direct, like accept. */
  decline(conversationId: string): Promise<void> {
    return this.#source.decline(conversationId);
  }

  /** Resolves once the source's catch-up and every conversation's queued work are done. */
  idle(): Promise<void> {
    return this.#source.idle();
  }

  typing(conversationId: string): Promise<boolean> {
    return this.#source.typing(conversationId);
  }

  wrapupCodes(conversationId: string): Promise<WrapupCode[]> {
    return this.#source.wrapupCodes(conversationId);
  }

  /** Queues a reply to the customer; it is sent on the user's last agent communication of the time. */
  reply(conversationId: string, text: string): Promise<OutboxView> {
    return this.#queue({ kind: 'reply', chat: this.#chat(conversationId), text });
  }

  /** Queues ending the user's part (done already counts as done). */
  end(conversationId: string): Promise<OutboxView> {
    return this.#queue({ kind: 'end', chat: this.#chat(conversationId) });
  }

  /** Queues a wrap-up (a code id from `wrapupCodes`); one already given counts as done. */
  wrapup(conversationId: string, code: string, notes?: string): Promise<OutboxView> {
    return this.#queue({
      kind: 'wrapup',
      chat: this.#chat(conversationId),
      code,
      ...(notes ? { notes } : {}),
    });
  }

  /** One of the user's interactions as the outbox's conversation reference. */
  #chat(conversationId: string): OutboxAction['chat'] {
    if (this.#source.availability().state !== 'available')
      throw new Error('Customer conversations are not available for this account.');
    const found = this.#source.list().find((i) => i.conversationId === conversationId);
    if (!found) throw new Error('That customer conversation is not one of yours.');
    return {
      kind: 'customer',
      id: conversationId,
      jid: '',
      name: found.customerName,
      ...(found.channel ? { channel: found.channel } : {}),
    };
  }
}
