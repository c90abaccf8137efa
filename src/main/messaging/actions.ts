// What the user does with a customer conversation, always on their OWN LAST agent participant (a
// re-routed agent gets a new participant; replies on an old one are refused): accept, decline, reply,
// typing, end, wrap-up codes and wrap-up, and the transcript with every message's text. Never the
// PATCH of the whole conversation (it would disconnect everyone).
import { GenesysError } from '../genesys/http.ts';
import type { MessagingApi } from '../genesys/messaging/api.ts';
import { hasContent } from '../genesys/messaging/message-data.ts';
import type { SurpriseFn } from '../genesys/messaging/snapshot.ts';
import type { CustomerPerformer, OwnMessage } from '../engine/outbox/customer-perform.ts';
import { currentCommunication, myAgents } from './snapshot-facts.ts';
import type { ConversationTracker } from './tracker.ts';
import type { Author, Communication, Participant, TranscriptEntry, WrapupCode } from './types.ts';

/** How often a typing indicator is sent at most, per conversation (Genesys shows one for a few seconds). */
export const TYPING_EVERY_MS = 3_000;

/** A refusal before anything is sent: the interaction is not in a state that allows the action. */
export function refusal(message: string, code = 'conflict'): GenesysError {
  return new GenesysError('http', message, 409, code);
}

const AUTHOR_BY_PURPOSE: Record<string, Author> = {
  customer: 'customer',
  agent: 'agent',
  user: 'agent',
  workflow: 'bot',
  bot: 'bot',
  acd: 'bot',
};

/**
 * The agent's actions, carried out at once. The user's reply, end and wrap-up reach these through the
 * engine's outbox (as a CustomerPerformer: persisted, retried, never applied twice); accept, decline
 * and typing are called directly (an offer is on a timer: the user must know at once).
 */
export class MessagingActions implements CustomerPerformer {
  protected readonly api: MessagingApi;
  protected readonly tracker: ConversationTracker;
  protected readonly me: string;
  protected readonly now: () => number;
  protected readonly surprise: SurpriseFn;
  private readonly typingAt = new Map<string, number>();

  constructor(
    api: MessagingApi,
    tracker: ConversationTracker,
    me: string,
    now: () => number,
    surprise: SurpriseFn,
  ) {
    this.api = api;
    this.tracker = tracker;
    this.me = me;
    this.now = now;
    this.surprise = surprise;
  }

  /** Throws when the source cannot act at all (overridden by the source). */
  protected usable(): void {}

  /** Accepts an offer (the user's alerting agent participant → connected). */
  async accept(conversationId: string): Promise<void> {
    const { participant } = await this.mine(conversationId, 'alerting', 'This offer is no longer waiting.');
    await this.api.setParticipantState(conversationId, participant.id, 'connected');
  }

  /** Declines an offer. Genesys then puts the agent in Not Responding (the UI says so first). */
  async decline(conversationId: string): Promise<void> {
    const { participant } = await this.mine(conversationId, 'alerting', 'This offer is no longer waiting.');
    await this.api.setParticipantState(conversationId, participant.id, 'disconnected');
  }

  /** Ends a connected interaction; a wrap-up may then be required. */
  async end(conversationId: string): Promise<void> {
    const { participant } = await this.mine(
      conversationId,
      'connected',
      'This interaction is not connected.',
    );
    await this.api.setParticipantState(conversationId, participant.id, 'disconnected');
  }

  /** Sends `text` on the communication of the user's last agent participant; the sent message. */
  async reply(conversationId: string, text: string): Promise<TranscriptEntry> {
    if (text.trim() === '') throw refusal('Write something to send.', 'bad.request');
    const { communication } = await this.mine(
      conversationId,
      'connected',
      'This interaction is not connected.',
    );
    const sent = await this.api.send(conversationId, communication.id, text);
    this.tracker.sentByApp(sent.id);
    return sent;
  }

  // ---- the outbox's CustomerPerformer -----------------------------------------------------------

  async sendReply(conversationId: string, text: string): Promise<string> {
    return (await this.reply(conversationId, text)).id;
  }

  async ownMessages(conversationId: string): Promise<OwnMessage[]> {
    this.usable();
    const fresh = await this.api.conversation(conversationId, 'user');
    if (!fresh) throw new GenesysError('bad-response', 'The conversation could not be read.');
    const ids = myAgents(fresh, this.me).flatMap((p) =>
      p.communications.flatMap((c) => c.messages.map((m) => m.id)),
    );
    if (ids.length === 0) return [];
    const entries = await this.api.messages(conversationId, ids, 'user');
    return entries.map((e) => ({ id: e.id, text: e.text, at: e.at }));
  }

  /** Ends the user's part (idempotent: one already disconnected is done, without a request). */
  async endInteraction(conversationId: string): Promise<void> {
    const ended = async (): Promise<boolean> => {
      const { communication } = await this.mine(conversationId, undefined, '', true);
      if (communication.state === 'alerting') throw refusal('This interaction is not connected.');
      return communication.state !== 'connected';
    };
    if (await ended()) return;
    await this.settleIfDone(ended, () => this.end(conversationId));
  }

  /** Applies a wrap-up (idempotent: a participant already wrapped up is done, without a request). */
  async applyWrapup(conversationId: string, code: string, notes?: string): Promise<void> {
    const given = async (): Promise<boolean> =>
      (await this.mine(conversationId, undefined, '', true)).participant.wrapupGiven;
    if (await given()) return;
    await this.settleIfDone(given, () => this.wrapup(conversationId, code, notes));
  }

  /** Runs `act`; when the server refuses it, `done` (read afresh) decides whether it was done anyway. */
  private async settleIfDone(done: () => Promise<boolean>, act: () => Promise<void>): Promise<void> {
    try {
      await act();
    } catch (err) {
      if (err instanceof GenesysError && err.kind === 'http' && err.status < 500 && (await done())) return;
      throw err;
    }
  }

  /** Tells the customer the user is typing (at most once per `TYPING_EVERY_MS`); false when skipped. */
  async typing(conversationId: string): Promise<boolean> {
    const last = this.typingAt.get(conversationId);
    if (last !== undefined && this.now() - last < TYPING_EVERY_MS) return false;
    const { communication } = await this.mine(
      conversationId,
      'connected',
      'This interaction is not connected.',
    );
    this.typingAt.set(conversationId, this.now());
    await this.api.typing(conversationId, communication.id);
    return true;
  }

  /** The wrap-up codes of the user's last agent participant. */
  async wrapupCodes(conversationId: string): Promise<WrapupCode[]> {
    const { participant } = await this.mine(conversationId, undefined, '');
    return this.api.wrapupCodes(conversationId, participant.id);
  }

  /** Applies a wrap-up (a code id from `wrapupCodes`) to the user's last agent participant. */
  async wrapup(conversationId: string, code: string, notes?: string): Promise<void> {
    const { participant, communication } = await this.mine(conversationId, undefined, '');
    await this.api.wrapup(conversationId, participant.id, communication.id, {
      code,
      ...(notes ? { notes } : {}),
    });
  }

  /**
   * Every message of the conversation with its text, oldest first: the customer's, the agents' and
   * the bots' (who wrote one is known from the participant it is listed under). Messages without
   * content (presence events) are left out.
   */
  async transcript(conversationId: string): Promise<TranscriptEntry[]> {
    this.usable();
    const purposeOf = new Map<string, string>();
    const known = this.tracker.snapshot(conversationId);
    if (known) {
      for (const p of known.participants)
        for (const c of p.communications) for (const m of c.messages) purposeOf.set(m.id, p.purpose);
    } else {
      // Not followed (an ended conversation, or right after a restart): who wrote what, by id.
      for (const p of await this.api.messageConversation(conversationId))
        for (const id of p.messageIds) purposeOf.set(id, p.purpose);
    }
    if (purposeOf.size === 0) return [];
    const entries = await this.api.messages(conversationId, [...purposeOf.keys()], 'user');
    return entries.filter(hasContent).map((e) => {
      const author = AUTHOR_BY_PURPOSE[purposeOf.get(e.id) ?? ''];
      return author ? { ...e, author } : e;
    });
  }

  /** The user's last agent participant with its communication, in `state` when one is asked for. */
  private async mine(
    conversationId: string,
    state: string | undefined,
    wrongState: string,
    /** Read the conversation from the server even when the snapshot looks right. */
    fresh = false,
  ): Promise<{ participant: Participant; communication: Communication }> {
    this.usable();
    let found = fresh ? undefined : this.tracker.lastAgent(conversationId);
    if (!found?.communication || (state && found.communication.state !== state)) {
      // The snapshot may be older than the server: read the conversation before refusing.
      const fresh = await this.api.conversation(conversationId, 'user');
      const participant = fresh ? myAgents(fresh, this.me).at(-1) : undefined;
      const communication = currentCommunication(participant);
      found = participant && communication ? { participant, communication } : undefined;
    }
    if (!found?.communication) throw refusal('You take no part in this conversation.', 'not.found');
    if (state && found.communication.state !== state) throw refusal(wrongState);
    return { participant: found.participant, communication: found.communication };
  }
}
