// The outbox of the user's actions: saved before sending, FIFO per chat, retried, never applied twice.
// Chats' actions go to the chat client; a customer conversation's reply, end and wrap-up go to the
// messaging source (customer-perform.ts). Options: options.ts; one attempt: attempt.ts.
import { admit } from './admission.ts';
import { Attempts } from './attempt.ts';
import { SIGNED_OUT_REASON, classify, type Failure } from './failure.ts';
import {
  resolveOptions,
  type OutboxChange,
  type OutboxConfig,
  type OutboxOptions,
  type OutboxStatus,
} from './options.ts';
import type { Performed } from './perform.ts';
import { loadSaved } from './restore.ts';
import { SaveQueue } from './save-queue.ts';
import { FINISHED, beginAttempt, keepForUi, markFailed, markSent, queueHeads } from './transitions.ts';
import type {
  DeleteAction,
  EditAction,
  OutboxAction,
  OutboxItem,
  PinAction,
  ReactAction,
  ReplyAction,
} from './schema.ts';
import { errorText } from '../../../shared/errors.ts';

type Input<A extends OutboxAction> = Omit<A, 'kind'>;

/**
 * Every action is saved before it is sent, and saved again as 'sending' before its request goes out.
 * Each chat's items run one at a time in the order queued; at most `maxInFlight` overall.
 *
 * Never applied twice: edit, delete, pin, unpin and the reactions PUT set a state, so repeating them is
 * harmless (a 404 on delete/unpin means already done). Posting a reply is not: when an attempt may have
 * landed without our knowing (no answer, a timeout, a 5xx, an unreadable 2xx, or the app found it
 * 'sending' at start), the item records `unsureSince`, and before posting again the chat's history from
 * `unsureSince - skewMs` on is searched for the user's own message with the same text and thread that no
 * other item claimed; if found, the item is sent with that id. See landed-reply.ts for the limits. A
 * customer reply is looked for the same way in the conversation's transcript; ending and wrapping up
 * are idempotent (already ended or wrapped up counts as done).
 */
export class Outbox {
  /** What was wrong with the saved list at load (the damaged entries were dropped). */
  readonly problems: readonly string[];
  readonly #config: OutboxConfig;
  #items: OutboxItem[];
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(view: OutboxChange) => void>();
  readonly #attempts: Attempts;
  #running = false;
  #paused = false;
  #pauseReason: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #saves: SaveQueue;

  constructor(options: OutboxOptions) {
    this.#config = resolveOptions(options);
    this.#attempts = new Attempts(this.#config);
    this.#saves = new SaveQueue(() => this.#config.storage.save(this.#items.map(copy)), this.#config.report);
    const { items, problems, woke } = loadSaved(() => this.#config.storage.load());
    this.problems = problems;
    this.#items = items;
    for (const p of problems) this.#config.report(p);
    // Replace a damaged list with what was kept, and record items woken from 'sending' as queued.
    if (problems.length > 0 || woke) void this.#persist();
  }

  // ---- the user's actions ------------------------------------------------------------------------

  reply(input: Input<ReplyAction>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'reply', ...input });
  }

  /** Toggles one emoji of the user's own reactions on a message. */
  react(input: Input<ReactAction>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'react', ...input });
  }

  pin(input: Omit<PinAction, 'kind'>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'pin', ...input });
  }

  unpin(input: Omit<PinAction, 'kind'>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'unpin', ...input });
  }

  edit(input: Input<EditAction>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'edit', ...input });
  }

  delete(input: Input<DeleteAction>): Promise<OutboxItem> {
    return this.enqueue({ kind: 'delete', ...input });
  }

  /**
   * Queues an action; resolves once it is saved (it is sent only after that). Throws on bad input,
   * and when MAX_WAITING actions already wait (queued, sending or failed): each is kept in the
   * settings file, and the popup that asks is untrusted.
   */
  async enqueue(action: OutboxAction): Promise<OutboxItem> {
    const item = admit(action, this.#items, this.#config.now());
    this.#items.push(item);
    this.#emit();
    await this.#persist();
    const saved = copy(item);
    this.#pump();
    return saved;
  }

  // ---- what the UI sees and does -----------------------------------------------------------------

  /** Every item, oldest first (newest last), with its state and the reason of its last failure. */
  items(): OutboxItem[] {
    return this.#items.map(copy);
  }

  item(id: string): OutboxItem | undefined {
    const item = this.#find(id);
    return item ? copy(item) : undefined;
  }

  status(): OutboxStatus {
    return {
      running: this.#running,
      paused: this.#paused,
      ...(this.#pauseReason !== undefined ? { pauseReason: this.#pauseReason } : {}),
    };
  }

  /** Calls `listener` after every change of an item or of the status; returns the unsubscribe. */
  onChange(listener: (view: OutboxChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the item once it is sent or failed, or with undefined once it is discarded. */
  settled(id: string): Promise<OutboxItem | undefined> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const item = this.#find(id);
        if (item && !FINISHED.has(item.state)) return false;
        resolve(item ? copy(item) : undefined);
        return true;
      };
      if (check()) return;
      const off = this.onChange(() => {
        if (check()) off();
      });
    });
  }

  /** A failed item goes back to the queue with a fresh set of attempts; a waiting one goes now. */
  async retry(id: string): Promise<boolean> {
    const item = this.#find(id);
    if (!item || (item.state !== 'failed' && item.state !== 'queued')) return false;
    if (item.state === 'failed') {
      item.state = 'queued';
      item.attempts = 0;
      delete item.settledAt;
    }
    delete item.nextAttemptAt;
    this.#emit();
    await this.#persist();
    this.#pump();
    return true;
  }

  /** Removes a queued or failed item (not one being sent). */
  async discard(id: string): Promise<boolean> {
    const item = this.#find(id);
    if (!item || (item.state !== 'queued' && item.state !== 'failed')) return false;
    this.#items = this.#items.filter((x) => x !== item);
    this.#emit();
    await this.#persist();
    this.#pump();
    return true;
  }

  // ---- life cycle --------------------------------------------------------------------------------

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#emit();
    this.#pump();
  }

  /** Sends nothing new, waits for what is being sent, then saves. Call (and await) before quitting. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimer();
    await Promise.all([...this.#inFlight.values()]);
    this.#emit();
    await this.#persist();
  }

  /** Holds everything (e.g. signed out); items stay queued. */
  pause(reason?: string): void {
    this.#paused = true;
    this.#pauseReason = reason;
    this.#clearTimer();
    this.#emit();
  }

  /** Ends a pause and tries everything waiting at once (after signing in again: swap `api` first). */
  resume(): void {
    this.#paused = false;
    this.#pauseReason = undefined;
    this.kick();
  }

  /** Tries every waiting item now instead of at its backoff time (back online, resumed from sleep). */
  kick(): void {
    let changed = false;
    for (const item of this.#items) {
      if (item.state === 'queued' && item.nextAttemptAt !== undefined) {
        delete item.nextAttemptAt;
        changed = true;
      }
    }
    if (changed) void this.#persist();
    this.#emit();
    this.#pump();
  }

  /** Waits until everything saved so far is written. */
  flush(): Promise<void> {
    return this.#persist();
  }

  // ---- the queue ---------------------------------------------------------------------------------

  /** Starts what may start now: each chat's oldest unfinished item, if it is due, within the limit. */
  #pump(): void {
    this.#clearTimer();
    if (!this.#running || this.#paused) return;
    const now = this.#config.now();
    const { due, wake } = queueHeads(this.#items, now);
    for (const head of due) {
      if (this.#inFlight.size >= this.#config.maxInFlight) return;
      const run = this.#attempt(head)
        .catch((err: unknown) => this.#config.report(`outbox: an attempt broke: ${errorText(err)}`))
        .finally(() => {
          this.#inFlight.delete(head.id);
          this.#pump();
        });
      this.#inFlight.set(head.id, run);
    }
    if (wake < Infinity) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(1, wake - now));
      this.#timer.unref();
    }
  }

  async #attempt(item: OutboxItem): Promise<void> {
    beginAttempt(item, this.#config.now());
    this.#emit();
    // On disk as 'sending' before anything goes out: after a crash, a reply is then looked for first.
    await this.#persist();
    let done: Performed | undefined;
    let failure: Failure | undefined;
    try {
      done = await this.#attempts.run(item, this.#items);
    } catch (err) {
      failure = classify(err, item.action);
    }
    const now = this.#config.now();
    if (!failure || failure.verdict === 'done') markSent(item, done ?? {}, now);
    else if (markFailed(item, failure, now, this.#config)) this.pause(SIGNED_OUT_REASON);
    this.#emit();
    await this.#persist();
  }

  #find(id: string): OutboxItem | undefined {
    return this.#items.find((x) => x.id === id);
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  // ---- keeping and telling -----------------------------------------------------------------------

  #emit(): void {
    this.#items = keepForUi(this.#items, this.#config.now(), this.#config.keepSent);
    if (this.#listeners.size === 0) return;
    const view: OutboxChange = { items: this.items(), status: this.status() };
    for (const listener of [...this.#listeners]) {
      try {
        listener(view);
      } catch (err) {
        this.#config.report(`outbox: a change listener failed: ${errorText(err)}`);
      }
    }
  }

  #persist(): Promise<void> {
    return this.#saves.save();
  }
}

function copy(item: OutboxItem): OutboxItem {
  return structuredClone(item);
}
