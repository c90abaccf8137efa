// The outbox of the user's actions: saved before sending, FIFO per chat, retried, never applied twice.
import { randomUUID } from 'node:crypto';
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import type { BackoffRange } from '../watch/backoff.ts';
import { actionRefusal } from './capability.ts';
import { SIGNED_OUT_REASON, classify, type Failure } from './failure.ts';
import { perform, type Performed } from './perform.ts';
import { restoreItems } from './restore.ts';
import { SaveQueue } from './save-queue.ts';
import { FINISHED, beginAttempt, chatKey, keepForUi, markFailed, markSent } from './transitions.ts';
import {
  OutboxActionSchema,
  type DeleteAction,
  type EditAction,
  type OutboxAction,
  type OutboxItem,
  type PinAction,
  type ReactAction,
  type ReplyAction,
} from './schema.ts';
import { errorText } from '../../../shared/errors.ts';

/** Where the outbox keeps its items: the engine maps this onto its settings document. */
export interface OutboxStorage {
  /** What `save` last stored (anything: it is validated), or undefined when nothing was. */
  load(): unknown;
  save(items: OutboxItem[]): void | Promise<void>;
}

export interface OutboxOptions {
  storage: OutboxStorage;
  /**
   * The Genesys client to use now. Read before every attempt, so after signing in again the engine
   * only has to make this return the new client and call `resume()`. Throwing means "signed out".
   */
  api: () => ChatApi;
  /** The signed-in user's id when the engine knows it; otherwise asked of each client once. */
  userId?: () => string | undefined;
  /** Items sent at the same time, across all chats (default 2). */
  maxInFlight?: number;
  /** Attempts before an item fails for good (default 8). */
  maxAttempts?: number;
  /** Retry waits: doubling from `minMs` (default 1 s) up to `maxMs` (default 60 s), jittered. */
  backoff?: Partial<BackoffRange>;
  /** How much earlier than our clock the server may date a reply we posted (default 2 min). */
  skewMs?: number;
  /** Sent items kept for the UI: at most `count`, none older than `ms` (defaults 50, 10 min). */
  keepSent?: { count?: number; ms?: number };
  /** Told about damaged saved items, failed saves and listener errors (never message text). */
  report?: (problem: string) => void;
  now?: () => number;
  random?: () => number;
}

export interface OutboxStatus {
  /** Between `start()` and `stop()`. */
  running: boolean;
  paused: boolean;
  /** Why it is paused, for the UI (e.g. the user must sign in again). */
  pauseReason?: string;
}

/** What an outbox change listener is told: every item and the status (not the UI's per-item OutboxView). */
export interface OutboxChange {
  items: OutboxItem[];
  status: OutboxStatus;
}

type Input<A extends OutboxAction> = Omit<A, 'kind'>;

/** How long an item waits before its next attempt: from a second up to a minute. */
export const OUTBOX_BACKOFF: BackoffRange = Object.freeze({ minMs: 1_000, maxMs: 60_000 });

/** Actions that may wait at once (queued, sending or failed). */
export const MAX_WAITING = 200;

/**
 * Every action is saved before it is sent, and saved again as 'sending' before its request goes out.
 * Each chat's items run one at a time in the order queued; at most `maxInFlight` overall.
 *
 * Never applied twice: edit, delete, pin, unpin and the reactions PUT set a state, so repeating them is
 * harmless (a 404 on delete/unpin means already done). Posting a reply is not: when an attempt may have
 * landed without our knowing (no answer, a timeout, a 5xx, an unreadable 2xx, or the app found it
 * 'sending' at start), the item records `unsureSince`, and before posting again the chat's history from
 * `unsureSince - skewMs` on is searched for the user's own message with the same text and thread that no
 * other item claimed; if found, the item is sent with that id. See landed-reply.ts for the limits.
 */
export class Outbox {
  /** What was wrong with the saved list at load (the damaged entries were dropped). */
  readonly problems: readonly string[];
  readonly #config: {
    storage: OutboxStorage;
    api: () => ChatApi;
    userId: () => string | undefined;
    maxInFlight: number;
    maxAttempts: number;
    backoff: BackoffRange;
    skewMs: number;
    keepSent: { count: number; ms: number };
    report: (problem: string) => void;
    now: () => number;
    random: () => number;
  };
  #items: OutboxItem[];
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(view: OutboxChange) => void>();
  readonly #userIds = new WeakMap<ChatApi, Promise<string>>();
  #running = false;
  #paused = false;
  #pauseReason: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #saves: SaveQueue;

  constructor(options: OutboxOptions) {
    this.#config = {
      storage: options.storage,
      api: options.api,
      userId: options.userId ?? (() => undefined),
      maxInFlight: Math.max(1, Math.trunc(options.maxInFlight ?? 2)),
      maxAttempts: Math.max(1, Math.trunc(options.maxAttempts ?? 8)),
      backoff: { ...OUTBOX_BACKOFF, ...options.backoff },
      skewMs: options.skewMs ?? 120_000,
      keepSent: { count: options.keepSent?.count ?? 50, ms: options.keepSent?.ms ?? 10 * 60_000 },
      report: options.report ?? (() => {}),
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.#saves = new SaveQueue(() => this.#config.storage.save(this.#items.map(copy)), this.#config.report);
    let raw: unknown;
    const problems: string[] = [];
    try {
      raw = this.#config.storage.load();
    } catch (err) {
      // The error's kind only: a parse error's message may quote the file, i.e. the user's words.
      const kind = err instanceof SyntaxError ? 'not valid JSON' : err instanceof Error ? err.name : 'error';
      problems.push(`outbox: the saved list could not be read (${kind}); started empty`);
    }
    const restored = restoreItems(raw);
    problems.push(...restored.problems);
    this.problems = problems;
    this.#items = restored.items;
    for (const p of problems) this.#config.report(p);
    const woke = Array.isArray(raw) && raw.some((x: unknown) => isObj(x) && x.state === 'sending');
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
    const parsed = OutboxActionSchema.safeParse(action);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(`Invalid outbox action: ${issue?.path.join('.')} ${issue?.message}`);
    }
    const refusal = actionRefusal(parsed.data);
    if (refusal) throw new TypeError(refusal);
    if (this.#items.filter((x) => x.state !== 'sent').length >= MAX_WAITING) {
      throw new Error(
        `${MAX_WAITING} actions are already waiting to be sent. Wait for them to go out, or discard failed ones.`,
      );
    }
    const item: OutboxItem = {
      id: randomUUID(),
      action: parsed.data,
      createdAt: this.#config.now(),
      state: 'queued',
      attempts: 0,
    };
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
    const heads = new Map<string, OutboxItem>();
    for (const item of this.#items) {
      const key = chatKey(item.action);
      if (!FINISHED.has(item.state) && !heads.has(key)) heads.set(key, item);
    }
    let wake = Infinity;
    for (const head of heads.values()) {
      if (head.state !== 'queued') continue;
      if (this.#inFlight.size >= this.#config.maxInFlight) return;
      const due = head.nextAttemptAt ?? 0;
      if (due > now) {
        wake = Math.min(wake, due);
        continue;
      }
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
      const api = this.#api();
      done = await perform(api, item.action, {
        userId: () => this.#userId(api),
        ...(item.unsureSince !== undefined ? { unsureSince: item.unsureSince } : {}),
        skewMs: this.#config.skewMs,
        claimed: this.#claimed(item),
      });
    } catch (err) {
      failure = classify(err, item.action);
    }
    const now = this.#config.now();
    if (!failure || failure.verdict === 'done') markSent(item, done ?? {}, now);
    else if (markFailed(item, failure, now, this.#config)) this.pause(SIGNED_OUT_REASON);
    this.#emit();
    await this.#persist();
  }

  #api(): ChatApi {
    try {
      return this.#config.api();
    } catch (err) {
      throw new GenesysError('needs-sign-in', errorText(err));
    }
  }

  #userId(api: ChatApi): Promise<string> {
    const known = this.#config.userId();
    if (known) return Promise.resolve(known);
    let id = this.#userIds.get(api);
    if (!id) {
      id = api.me().then((me) => me.id);
      id.catch(() => this.#userIds.delete(api));
      this.#userIds.set(api, id);
    }
    return id;
  }

  /** Messages other items recorded as theirs (a reply found after a lost answer must be unclaimed). */
  #claimed(except: OutboxItem): Set<string> {
    const ids = new Set<string>();
    for (const item of this.#items)
      if (item !== except && item.result?.messageId) ids.add(item.result.messageId);
    return ids;
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

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}
