// Follows the user's customer conversations from successive snapshots (each event is the whole
// conversation: ids and states, never text) and says what changed for the user: an offer started or
// ended (accepted, declined, timed out, the customer left, ended elsewhere), customer messages not
// seen before (with when the user was connected, to judge them by: presence.ts), and where each
// interaction stands. Pure: no I/O, time passed in.
import type { InteractionState } from '../../shared/ipc/interactions.ts';
import { OldestFirst } from '../engine/oldest-first.ts';
import { NOT_CONNECTED, presenceOf, type Presence } from './presence.ts';
import {
  answeredAt,
  chatRefOf,
  currentCommunication,
  customerMessages,
  firstUnanswered,
  myAgents,
  newestTime,
  offerEnd,
  unanswered,
} from './snapshot-facts.ts';
import {
  offerMessageId,
  type Communication,
  type CustomerChatRef,
  type Interaction,
  type MessageRef,
  type OfferEnd,
  type Participant,
  type Snapshot,
} from './types.ts';

export interface OfferStart {
  /** `offer:<participantId>`: the ledger's id for this offer. */
  messageId: string;
  participantId: string;
  communicationId: string;
  alertingTimeoutMs?: number;
  /** Local epoch ms the offer stops alerting, when the timeout is known. */
  expiresAt?: number;
  /** Server time for the ledger: the newest time the snapshot shows (never the local clock if it has one). */
  createdAt: number;
  /** The customer message the offer shows: the first one nobody answered, else the newest. */
  firstMessage?: MessageRef;
}

export interface TrackerChange {
  chat: CustomerChatRef;
  offerStarted?: OfferStart;
  offerEnded?: { messageId: string; participantId: string; reason: OfferEnd };
  /** Customer messages not seen before, oldest first. */
  newCustomerMessages: MessageRef[];
  /**
   * When the user was connected: a new customer message counts as `customer` when it was written
   * then, however late it is read (`judge` in presence.ts), else as context.
   */
  presence: Presence;
  /**
   * Server time of the newest agent message: customer messages at or before it were answered
   * (elsewhere: replies this app sent do not count, see `sentByApp`).
   */
  answeredAt: number;
}

interface Tracked {
  snapshot: Snapshot;
  known: Set<string>;
  offer?: { participantId: string; seenAt: number; timeoutMs?: number };
  lastActivity: number;
}

/** How many ended offers are remembered (a working day of an agent's offers, many times over). */
const MAX_OVER = 2_000;
/** How many ended conversations' message ids are remembered (a day of interactions, several times over). */
const MAX_ENDED = 200;

export class ConversationTracker {
  private readonly me: string;
  private readonly byId = new Map<string, Tracked>();
  /**
   * Replies this app sent: they do not prove the user saw what the customer wrote before they
   * landed (a reply queued in the outbox lands later, perhaps after a new customer message).
   */
  private readonly sentHere = new Set<string>();
  /** Offers already reported over (so a conversation seen again does not withdraw them again). */
  private readonly over = new Set<string>();
  /**
   * The customer message ids of conversations no longer followed (over for the user), so an event
   * after the end (a receipt) does not hand their messages over again: written while the user was
   * connected, they would be read and judged anew for nothing (the ledger would stop a repeat).
   */
  private readonly ended = new Map<string, Set<string>>();
  private readonly endedTrimmer = new OldestFirst(this.ended, MAX_ENDED);
  private readonly sentHereTrimmer = new OldestFirst(this.sentHere, MAX_OVER);
  private readonly overTrimmer = new OldestFirst(this.over, MAX_OVER);

  /** Replies this app sent in other runs (the outbox's sent items), as `sentHere` for this one. */
  private readonly sentElsewhere: () => Iterable<string>;

  constructor(me: string, sentByApp: () => Iterable<string> = () => []) {
    this.me = me;
    this.sentElsewhere = sentByApp;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  snapshot(conversationId: string): Snapshot | undefined {
    return this.byId.get(conversationId)?.snapshot;
  }

  /** The user's last agent participant and its communication, as the latest snapshot shows them. */
  lastAgent(conversationId: string): { participant: Participant; communication?: Communication } | undefined {
    const s = this.byId.get(conversationId)?.snapshot;
    const participant = s ? myAgents(s, this.me).at(-1) : undefined;
    if (!participant) return undefined;
    const communication = currentCommunication(participant);
    return communication ? { participant, communication } : { participant };
  }

  /** Takes in the conversation's latest snapshot and says what changed since the one before. */
  apply(s: Snapshot, now: number): TrackerChange {
    let t = this.byId.get(s.conversationId);
    const firstSight = !t;
    const before = t?.snapshot;
    if (!t) {
      t = { snapshot: s, known: this.ended.get(s.conversationId) ?? new Set(), lastActivity: 0 };
      this.ended.delete(s.conversationId);
      this.byId.set(s.conversationId, t);
    }
    t.snapshot = s;
    t.lastActivity = Math.max(t.lastActivity, newestTime(s));

    const newCustomerMessages = customerMessages(s).filter((m) => !t.known.has(m.id));
    for (const m of newCustomerMessages) t.known.add(m.id);
    const last = myAgents(s, this.me).at(-1);
    const comm = currentCommunication(last);
    const change: TrackerChange = {
      chat: chatRefOf(s),
      newCustomerMessages,
      presence: presenceOf(s, this.me, before),
      answeredAt: answeredAt(s, this.allSentByApp()),
    };

    const alerting = last && comm?.state === 'alerting' ? { participant: last, comm } : undefined;
    if (t.offer && t.offer.participantId !== alerting?.participant.id) {
      change.offerEnded = {
        messageId: offerMessageId(t.offer.participantId),
        participantId: t.offer.participantId,
        reason: offerEnd(s, t.offer.participantId),
      };
      delete t.offer;
    }
    // Seen for the first time (a new engine after a restart, a conversation found by a catch-up)
    // with the user's offer already over: an earlier run may have shown it, so it is withdrawn
    // (withdrawing what was never shown is a no-op).
    if (firstSight && last && !alerting && !this.over.has(last.id)) {
      change.offerEnded = {
        messageId: offerMessageId(last.id),
        participantId: last.id,
        reason: offerEnd(s, last.id),
      };
    }
    if (change.offerEnded) this.remember(change.offerEnded.participantId);
    if (alerting && !t.offer) {
      const timeoutMs = alerting.participant.alertingTimeoutMs;
      t.offer = { participantId: alerting.participant.id, seenAt: now, ...(timeoutMs ? { timeoutMs } : {}) };
      const createdAt = Math.max(alerting.comm.alertingSince ?? 0, newestTime(s)) || now;
      const firstMessage = firstUnanswered(s) ?? customerMessages(s).at(-1);
      change.offerStarted = {
        messageId: offerMessageId(alerting.participant.id),
        participantId: alerting.participant.id,
        communicationId: alerting.comm.id,
        createdAt,
        ...(timeoutMs ? { alertingTimeoutMs: timeoutMs, expiresAt: now + timeoutMs } : {}),
        ...(firstMessage ? { firstMessage } : {}),
      };
    }
    // Over for the user (wrapped up, declined, someone else's, not a messaging conversation): not
    // followed any more. Should it come back (an event after the end, offered again), the message
    // ids it had are remembered (`ended`); past that memory the ledger keeps them from notifying twice.
    if (!t.offer && this.stateOf(s) === 'ended') this.stopFollowing(s.conversationId, t.known);
    return change;
  }

  /** Every reply this app is known to have sent: in this run, and as the outbox keeps them. */
  private allSentByApp(): ReadonlySet<string> {
    const all = new Set(this.sentHere);
    for (const id of this.sentElsewhere()) all.add(id);
    return all;
  }

  /** A reply this app sent (not an answer elsewhere: see `TrackerChange.answeredAt`). */
  sentByApp(messageId: string): void {
    this.sentHere.add(messageId);
    this.sentHereTrimmer.trim();
  }

  private stopFollowing(conversationId: string, known: Set<string>): void {
    this.byId.delete(conversationId);
    this.ended.set(conversationId, known);
    this.endedTrimmer.trim();
  }

  private remember(participantId: string): void {
    this.over.add(participantId);
    this.overTrimmer.trim();
  }

  /** The conversation is no longer the user's (gone from the active listing): ends its offer, if any. */
  forget(conversationId: string): TrackerChange | undefined {
    const t = this.byId.get(conversationId);
    if (!t) return undefined;
    this.byId.delete(conversationId);
    if (!t.offer) return undefined;
    this.remember(t.offer.participantId);
    return {
      chat: chatRefOf(t.snapshot),
      offerEnded: {
        messageId: offerMessageId(t.offer.participantId),
        participantId: t.offer.participantId,
        reason: 'ended-elsewhere',
      },
      newCustomerMessages: [],
      presence: NOT_CONNECTED,
      answeredAt: 0,
    };
  }

  /** The interactions the user has (offered, connected, owing a wrap-up), newest activity first. */
  interactions(): Interaction[] {
    const out: Interaction[] = [];
    for (const [conversationId, t] of this.byId) {
      const state = this.stateOf(t.snapshot);
      if (state === 'ended') continue;
      const last = this.lastAgent(conversationId);
      const waiting = unanswered(t.snapshot);
      const chat = chatRefOf(t.snapshot);
      out.push({
        conversationId,
        state,
        channel: chat.channel,
        customerName: chat.name,
        unanswered: waiting.length,
        ...(waiting[0] ? { waitingSince: waiting[0].at } : {}),
        ...(state === 'offered' && t.offer?.timeoutMs
          ? { offerExpiresAt: t.offer.seenAt + t.offer.timeoutMs }
          : {}),
        ...(last ? { participantId: last.participant.id } : {}),
        ...(last?.communication ? { communicationId: last.communication.id } : {}),
        lastActivity: t.lastActivity,
      });
    }
    return out.sort((a, b) => b.lastActivity - a.lastActivity);
  }

  stateOf(s: Snapshot): InteractionState {
    const last = myAgents(s, this.me).at(-1);
    const state = currentCommunication(last)?.state;
    if (!last) return 'ended';
    if (state === 'alerting') return 'offered';
    if (state === 'connected') return 'connected';
    return last.wrapupRequired && !last.wrapupGiven ? 'wrapup' : 'ended';
  }
}
