// The messaging source: the user's customer conversations (offers and customer messages) as batches
// in the engine's vocabulary, from the `v2.users.{me}.conversations` events the engine routes to it,
// and from the REST listing after a gap. Standalone until the engine has sources: it owns no socket;
// whoever owns the push channel subscribes `topics(me)` and calls `handleFrame` with each event body.
// Each conversation is handled in order (one chain per conversation); the text of every customer
// message is read before its batch is emitted, so the notification carries it.
import { Listeners } from '../engine/watch/listeners.ts';
import type { EventSource } from '../engine/model.ts';
import type { ResyncReason } from '../engine/watch/types.ts';
import { SOURCE_NOT_RUNNING } from '../engine/outbox/failure.ts';
import { GenesysError } from '../genesys/http.ts';
import { readSnapshot } from '../genesys/messaging/snapshot.ts';
import { MessagingActions } from './actions.ts';
import { buildBatch, idsToRead, verdicts } from './batch.ts';
import type { MessagingSourceEvents, MessagingSourceOptions } from './source-options.ts';
import { TextReader } from './texts.ts';
import { ConversationTracker } from './tracker.ts';
import type { Interaction, MessagingAvailability, Snapshot } from './types.ts';
import { errorText } from '../../shared/errors.ts';

const FRAME_KIND = 'push: conversation event';
const OFFER_TEXT_WAIT_MS = 1_500;
/** Codes of a 403 that mean "no messaging for this user or client", not a passing failure. */
const UNAVAILABLE_CODES = new Set([
  'missing.permissions',
  'missing.scopes',
  'missing.any.scopes',
  'not.authorized',
]);

export class MessagingSource extends MessagingActions {
  readonly name = 'messaging';
  private readonly listeners: Listeners<MessagingSourceEvents>;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly texts: TextReader;
  private running = false;
  /** Aborted by stop(): background reads still waiting for the budget are never sent. */
  private aborter = new AbortController();
  private availabilityNow: MessagingAvailability = { state: 'stopped' };
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;
  private unavailableBy: 'rest' | 'topic' | undefined;
  private readonly shownOffers: () => { messageId: string; chatId: string }[];
  /** Offers still showing that a resync has read the conversation of (once per source). */
  private readonly offersChecked = new Set<string>();
  /** Each followed conversation's listing fingerprint when it was last read: unchanged, not read again. */
  private readonly readAs = new Map<string, string>();

  constructor(o: MessagingSourceOptions) {
    const log = o.log ?? (() => {});
    const surprise = o.surprise ?? ((kind: string) => log(`wire surprise (${kind})`));
    super(o.api, new ConversationTracker(o.me, o.sentByApp), o.me, o.now ?? Date.now, surprise);
    this.log = log;
    this.listeners = new Listeners<MessagingSourceEvents>(log);
    this.texts = new TextReader(o.api);
    this.shownOffers = o.shownOffers ?? (() => []);
    this.offerTextWaitMs = o.offerTextWaitMs ?? OFFER_TEXT_WAIT_MS;
  }

  private readonly offerTextWaitMs: number;

  private readonly log: (message: string) => void;

  /** The push topics this source needs for `me`. */
  topics(me: string = this.me): string[] {
    return [`v2.users.${me}.conversations`];
  }

  on<K extends keyof MessagingSourceEvents>(event: K, listener: MessagingSourceEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  availability(): MessagingAvailability {
    return this.availabilityNow;
  }

  /** Starts: reads the active conversations once (their new messages and offers become batches). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.aborter = new AbortController();
    this.unavailableBy = undefined;
    this.setAvailability({ state: 'available' });
    await this.resync('manual');
  }

  /** Stops: no batch or state is emitted afterwards; reads in flight finish unheard. */
  stop(): void {
    this.running = false;
    this.aborter.abort();
    this.setAvailability({ state: 'stopped' });
  }

  /**
   * What the server said of a topic in the subscription answer. A Rejected conversations topic (for
   * example a client without the `conversations` scope) makes the source unavailable and quiet
   * until a later answer permits it.
   */
  topicState(topic: string, state: string, reason?: string): void {
    if (!this.topics().includes(topic) || !this.running) return;
    if (state === 'Permitted') {
      // A later subscription (a new channel, a new sign-in) permits it: back, and catch up.
      if (this.unavailableBy !== 'topic') return;
      this.unavailableBy = undefined;
      this.setAvailability({ state: 'available' });
      void this.resync('manual');
      return;
    }
    if (state !== 'Rejected') return;
    this.unavailableBy = 'topic';
    this.setAvailability({ state: 'unavailable', reason: reason || 'topic rejected' });
  }

  /** One event of a topic this source asked for (`eventBody`, or the whole frame). */
  handleFrame(topic: string, body: unknown): Promise<void> {
    if (!this.running || this.availabilityNow.state !== 'available') return Promise.resolve();
    if (!this.topics().includes(topic)) {
      this.surprise('push: messaging topic', { topic: 'string' }, 'not a topic of this source');
      return Promise.resolve();
    }
    const eventBody = unwrap(body);
    const snapshot = readSnapshot(eventBody, FRAME_KIND, this.surprise);
    if (!snapshot) {
      // Unreadable: read the conversation over REST if it has an id, else everything.
      const id = (eventBody as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length > 0 && id.length <= 256) return this.refresh(id, 'backfill');
      return this.resync('manual');
    }
    return this.enqueue(snapshot.conversationId, () => this.process(snapshot, 'push'));
  }

  /**
   * Recovery after a gap (or at start): the active conversations' listing, then each one's generic
   * conversation (their communications), then the text of messages not seen before. Conversations
   * no longer listed end (an offer still showing is withdrawn). Never throws: a 403 makes the
   * source unavailable, other failures are logged and the next resync tries again.
   */
  resync(reason: ResyncReason): Promise<void> {
    if (!this.running) return Promise.resolve();
    // Unavailable stays quiet; only the user's own retry asks again (a topic Rejected needs a new channel).
    if (
      this.availabilityNow.state === 'unavailable' &&
      !(reason === 'manual' && this.unavailableBy === 'rest')
    )
      return Promise.resolve();
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    const run = async (): Promise<void> => {
      do {
        this.resyncAgain = false;
        await this.resyncOnce(reason);
      } while (this.resyncAgain && this.running);
    };
    this.resyncing = run().finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  /** Resolves once the resync in flight and every conversation's queued work are done. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...(this.resyncing ? [this.resyncing] : []), ...this.chains.values()];
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  /** The user's interactions for the popup: offered, connected, owing a wrap-up. */
  list(): Interaction[] {
    return this.availabilityNow.state === 'available' ? this.tracker.interactions() : [];
  }

  private async resyncOnce(reason: string): Promise<void> {
    let listing: { id: string; fingerprint?: string }[];
    try {
      listing = await this.api.activeConversations(this.aborter.signal);
    } catch (err) {
      if (err instanceof GenesysError && err.status === 403 && UNAVAILABLE_CODES.has(err.code)) {
        this.unavailableBy ??= 'rest';
        this.setAvailability({ state: 'unavailable', reason: `${err.code}: ${err.message}` });
        return;
      }
      this.log(`messaging: resync (${reason}) could not list conversations: ${errorText(err)}`);
      return;
    }
    if (!this.running) return;
    if (this.availabilityNow.state === 'unavailable') {
      this.unavailableBy = undefined;
      this.setAvailability({ state: 'available' });
    }
    const listed = new Set(listing.map((c) => c.id));
    const followed = new Set(this.tracker.ids());
    for (const id of this.readAs.keys()) if (!listed.has(id) || !followed.has(id)) this.readAs.delete(id);
    // A followed conversation whose listing entry is as when it was last read has not changed.
    const work = listing
      .filter((c) => c.fingerprint === undefined || this.readAs.get(c.id) !== c.fingerprint)
      .map((c) => this.refresh(c.id, 'backfill', c.fingerprint));
    // An offer still showing in a conversation no longer listed nor followed (it ended while no
    // engine ran): read that conversation once; seeing the offer over withdraws it (tracker.ts).
    for (const offer of this.shownOffers()) {
      if (listed.has(offer.chatId) || followed.has(offer.chatId) || this.offersChecked.has(offer.messageId))
        continue;
      this.offersChecked.add(offer.messageId);
      work.push(this.refresh(offer.chatId, 'backfill'));
    }
    // Followed but no longer listed: it ended while unseen. Read once, so what the customer wrote
    // while the user was connected is still told and an offer ends with its reason; then let go.
    for (const id of this.tracker.ids())
      if (!listed.has(id))
        work.push(this.refresh(id, 'backfill').then(() => this.enqueue(id, () => this.letGo(id))));
    await Promise.all(work);
  }

  /** No longer the user's (gone from the listing): not followed any more; its offer, if any, ends. */
  private async letGo(conversationId: string): Promise<void> {
    const change = this.tracker.forget(conversationId);
    const batch = change && buildBatch(change, new Map(), 'backfill', '', this.now());
    if (batch && this.running) this.listeners.emit('batch', batch);
    if (change && this.running) this.listeners.emit('changed', conversationId);
  }

  /** Reads one conversation over REST and handles it like an event (`fingerprint`: as listed). */
  private refresh(conversationId: string, source: EventSource, fingerprint?: string): Promise<void> {
    return this.enqueue(conversationId, async () => {
      let snapshot: Snapshot | undefined;
      try {
        snapshot = await this.api.conversation(conversationId, 'background', this.aborter.signal);
      } catch (err) {
        this.log(`messaging: could not read a conversation: ${errorText(err)}`);
        return;
      }
      if (snapshot && this.running) await this.process(snapshot, source);
      if (fingerprint !== undefined && this.running && this.tracker.snapshot(conversationId))
        this.readAs.set(conversationId, fingerprint);
      else this.readAs.delete(conversationId);
    });
  }

  private async process(snapshot: Snapshot, source: EventSource): Promise<void> {
    // Stopped while this waited its turn: nothing more is read or emitted.
    if (!this.running) return;
    const seenAt = this.now();
    const change = this.tracker.apply(snapshot, seenAt);
    const texts = await this.texts.forBatch(snapshot.conversationId, idsToRead(change), {
      offer: change.offerStarted !== undefined,
      offerWaitMs: this.offerTextWaitMs,
      signal: this.aborter.signal,
      log: this.log,
    });
    const customerId = snapshot.participants.find((p) => p.purpose === 'customer')?.id ?? '';
    const judged = verdicts(change, texts);
    // Judged without the time it needed (as before the spans): counted, with what was missing.
    for (const v of judged.values())
      if (v.by === 'state')
        this.surprise(`messaging: customer message judged by state (no ${v.missing})`, { [v.missing]: null });
    const batch = buildBatch(change, texts, source, customerId, seenAt, judged);
    if (!this.running || this.availabilityNow.state !== 'available') return;
    if (batch) this.listeners.emit('batch', batch);
    this.listeners.emit('changed', snapshot.conversationId);
  }

  /** Runs `task` after every earlier task of the same conversation; a failure never blocks the chain. */
  private enqueue(conversationId: string, task: () => Promise<void>): Promise<void> {
    const before = this.chains.get(conversationId) ?? Promise.resolve();
    const next = before.then(task).catch((err: unknown) => this.log(`messaging: ${errorText(err)}`));
    this.chains.set(conversationId, next);
    void next.then(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    });
    return next;
  }

  private setAvailability(next: MessagingAvailability): void {
    const same =
      next.state === this.availabilityNow.state &&
      (next.state !== 'unavailable' ||
        this.availabilityNow.state !== 'unavailable' ||
        next.reason === this.availabilityNow.reason);
    this.availabilityNow = next;
    if (!same) this.listeners.emit('state', next);
    if (next.state === 'unavailable') this.log(`messaging: unavailable (${next.reason})`);
  }

  protected override usable(): void {
    // Stopped is a moment between two runs (a restart, signing in again): what waits in the outbox
    // is tried again once the source runs, not refused as if the account had no access.
    if (this.availabilityNow.state === 'stopped')
      throw new GenesysError(
        'cancelled',
        'Customer conversations are reconnecting. Try again in a moment.',
        0,
        SOURCE_NOT_RUNNING,
      );
    if (this.availabilityNow.state !== 'available')
      throw new GenesysError(
        'http',
        'Customer conversations are not available for this account.',
        403,
        'unavailable',
      );
  }
}

function unwrap(body: unknown): unknown {
  if (body && typeof body === 'object' && 'eventBody' in body && 'topicName' in body)
    return (body as { eventBody: unknown }).eventBody;
  return body;
}
