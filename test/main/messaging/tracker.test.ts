// The conversation tracker over the official-model snapshots of test/fixtures/genesys/messaging/:
// offers start and end (accepted, declined, timed out, customer left, ended elsewhere), only customer
// message ids never seen before count, status receipts and bot messages never do, the LAST agent
// participant is the one that acts, and the popup's list says where each interaction stands.
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../src/main/genesys/messaging/snapshot.ts';
import { judge } from '../../../src/main/messaging/presence.ts';
import { ConversationTracker, type TrackerChange } from '../../../src/main/messaging/tracker.ts';
import type { Snapshot } from '../../../src/main/messaging/types.ts';
import { fixture } from '../../support/fixtures.ts';

const ME = '6f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const CONV = '3e8f1c2a-9b7d-4f60-8a1e-5c4d3b2a1f09';
const FIRST = '4bf2a3b4-c5d6-4e7f-8a81-a2b3c4d5e6f7';
const SECOND = '7ec5d6e7-f8a9-41a2-9db4-d5e6f7a8b9c0';

function snap(file: string): Snapshot {
  const value = fixture(`messaging/${file}`).value as { eventBody?: unknown };
  // A push frame's eventBody, or a REST answer (the generic conversation) as it is.
  const s = readSnapshot(value.eventBody ?? value, 'push', (kind) => {
    throw new Error(`surprise ${kind}`);
  });
  return s!;
}

/** How each new customer message of a change counts, in order. */
const kinds = (change: TrackerChange): string[] =>
  change.newCustomerMessages.map((m) => judge(m.at, change.presence).kind);

/** A snapshot with one field changed on the user's last agent participant's communication. */
function withAgentComm(s: Snapshot, patch: { state: string; disconnectType?: string }): Snapshot {
  const copy = structuredClone(s);
  const agent = copy.participants.filter((p) => p.userId === ME).at(-1)!;
  Object.assign(agent.communications.at(-1)!, patch);
  return copy;
}

/** A copy of `s` in which the customer wrote one more message, `id`, at `iso` (server time). */
function withCustomerMessage(s: Snapshot, id: string, iso: string): Snapshot {
  const copy = structuredClone(s);
  copy.participants[0]!.communications[0]!.messages.push({ id, at: Date.parse(iso) });
  return copy;
}

describe('offers', () => {
  it('an alerting agent participant of mine is an offer, shown with the customer’s first message', () => {
    const t = new ConversationTracker(ME);
    const change = t.apply(snap('event-offer-alerting.json'), 1_000);
    expect(change.offerStarted).toMatchObject({
      messageId: 'offer:07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3',
      participantId: '07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3',
      communicationId: '18c9d0e1-f2a3-4b4c-9d5e-7f8091a2b3c4',
      alertingTimeoutMs: 30_000,
      expiresAt: 31_000,
      firstMessage: { id: FIRST },
    });
    // Server time for the ledger: the newest message the snapshot shows (the bot's greeting).
    expect(change.offerStarted!.createdAt).toBe(Date.parse('2026-03-02T14:05:11.391Z'));
    expect(change.chat).toEqual({
      id: CONV,
      kind: 'customer',
      jid: '',
      name: 'Maya Thompson',
      channel: 'open',
    });
    // The customer's first message is context: the offer carries it.
    expect(change.newCustomerMessages.map((m) => m.id)).toEqual([FIRST]);
    expect(kinds(change)).toEqual(['context']);
    expect(t.interactions()).toEqual([
      expect.objectContaining({
        state: 'offered',
        unanswered: 1,
        offerExpiresAt: 31_000,
        customerName: 'Maya Thompson',
      }),
    ]);
  });

  it('the same offer seen again is not a new offer', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-offer-alerting.json'), 0);
    const again = t.apply(snap('event-offer-alerting.json'), 5);
    expect(again.offerStarted).toBeUndefined();
    expect(again.offerEnded).toBeUndefined();
    expect(again.newCustomerMessages).toEqual([]);
  });

  it('accepted: the offer ends as accepted and later customer messages are the user’s to answer', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-offer-alerting.json'), 0);
    const change = t.apply(snap('event-connected-messages.json'), 10);
    expect(change.offerEnded).toEqual({
      messageId: 'offer:07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3',
      participantId: '07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3',
      reason: 'accepted',
    });
    expect(change.newCustomerMessages.map((m) => m.id)).toEqual([SECOND]);
    expect(kinds(change)).toEqual(['customer']);
    const [row] = t.interactions();
    expect(row).toMatchObject({
      state: 'connected',
      unanswered: 1,
      waitingSince: Date.parse('2026-03-02T14:06:40.907Z'),
    });
    expect(row!.offerExpiresAt).toBeUndefined();
  });

  it.each([['timed out', 'event-offer-timed-out.json', 'timed-out']] as const)('%s', (_, file, reason) => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-offer-alerting.json'), 0);
    expect(t.apply(snap(file), 1).offerEnded?.reason).toBe(reason);
    expect(t.interactions()).toEqual([]);
  });

  it('declined (client), the customer left, ended some other way', () => {
    const offer = snap('event-offer-alerting.json');
    const cases: [Snapshot, string][] = [
      [withAgentComm(offer, { state: 'disconnected', disconnectType: 'client' }), 'declined'],
      [withAgentComm(offer, { state: 'disconnected', disconnectType: 'system' }), 'ended-elsewhere'],
    ];
    const left = withAgentComm(offer, { state: 'disconnected', disconnectType: 'peer' });
    left.participants[0]!.communications[0]!.state = 'disconnected';
    cases.push([left, 'customer-left']);
    const gone = structuredClone(offer);
    gone.participants.pop();
    cases.push([gone, 'ended-elsewhere']);
    for (const [next, reason] of cases) {
      const t = new ConversationTracker(ME);
      t.apply(offer, 0);
      expect(t.apply(next, 1).offerEnded?.reason, reason).toBe(reason);
    }
  });

  it('a conversation that leaves the active listing ends its offer', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-offer-alerting.json'), 0);
    expect(t.forget(CONV)?.offerEnded?.reason).toBe('ended-elsewhere');
    expect(t.ids()).toEqual([]);
    expect(t.forget(CONV)).toBeUndefined();
  });

  it('first seen over (a new run after a restart): the offer an earlier run showed ends, once', () => {
    const offer = snap('event-offer-alerting.json');
    const declined = withAgentComm(offer, { state: 'disconnected', disconnectType: 'client' });
    const accepted = withAgentComm(offer, { state: 'connected' });
    for (const [first, reason] of [
      [declined, 'declined'],
      [accepted, 'accepted'],
      [snap('event-offer-timed-out.json'), 'timed-out'],
    ] as const) {
      const t = new ConversationTracker(ME);
      expect(t.apply(first, 0).offerEnded, reason).toMatchObject({
        messageId: 'offer:07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3',
        reason,
      });
      // Seen again (a receipt, the customer writing after a decline): not ended again.
      expect(t.apply(first, 1).offerEnded, reason).toBeUndefined();
    }
    // An offer ended while followed is not ended again when the conversation comes back.
    const t = new ConversationTracker(ME);
    t.apply(offer, 0);
    expect(t.apply(declined, 1).offerEnded?.reason).toBe('declined');
    expect(t.apply(declined, 2).offerEnded).toBeUndefined();
  });

  it('an offer to someone else is no offer of mine', () => {
    const t = new ConversationTracker('someone-else');
    const change = t.apply(snap('event-offer-alerting.json'), 0);
    expect(change.offerStarted).toBeUndefined();
    expect(t.interactions()).toEqual([]);
  });
});

describe('customer messages', () => {
  it('status receipts of known ids and the agent’s own messages are nothing new', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-connected-messages.json'), 0);
    const change = t.apply(snap('event-status-receipts.json'), 1);
    expect(change.newCustomerMessages).toEqual([]);
    expect(change.offerStarted).toBeUndefined();
    expect(change.offerEnded).toBeUndefined();
  });

  it('bot and workflow messages are never customer messages', () => {
    const t = new ConversationTracker(ME);
    const ids = t.apply(snap('event-connected-messages.json'), 0).newCustomerMessages.map((m) => m.id);
    expect(ids).toEqual([FIRST, SECOND]);
    expect(ids).not.toContain('5ca3b4c5-d6e7-4f80-9b92-b3c4d5e6f7a8'); // the workflow's greeting
  });

  it('a reply this app sent does not make earlier customer messages answered for a catch-up', () => {
    const s = snap('event-connected-messages.json');
    const agent = s.participants.at(-1)!.communications[0]!;
    agent.messages.push({ id: 'reply-2', at: Date.parse('2026-03-02T14:07:00.000Z') });
    const elsewhere = new ConversationTracker(ME);
    expect(elsewhere.apply(s, 0).answeredAt).toBe(Date.parse('2026-03-02T14:07:00.000Z'));
    // Queued in the outbox before the customer wrote, landed after: the user has not seen it.
    const here = new ConversationTracker(ME);
    here.sentByApp('reply-2');
    expect(here.apply(s, 0).answeredAt).toBeLessThan(Date.parse('2026-03-02T14:07:00.000Z'));
    // The list still counts the customer as answered.
    expect(here.interactions()[0]).toMatchObject({ unanswered: 0 });
  });

  it('a reply an earlier run of the app sent (the outbox keeps it) does not make them answered either', () => {
    const s = snap('event-connected-messages.json');
    s.participants.at(-1)!.communications[0]!.messages.push({
      id: 'reply-2',
      at: Date.parse('2026-03-02T14:07:00.000Z'),
    });
    const t = new ConversationTracker(ME, () => ['reply-2']);
    expect(t.apply(s, 0).answeredAt).toBeLessThan(Date.parse('2026-03-02T14:07:00.000Z'));
  });

  it('an answered customer is not waiting', () => {
    const t = new ConversationTracker(ME);
    const s = snap('event-connected-messages.json');
    const agent = s.participants.at(-1)!.communications[0]!;
    agent.messages.push({ id: 'reply-2', at: Date.parse('2026-03-02T14:07:00.000Z') });
    t.apply(s, 0);
    expect(t.interactions()[0]).toMatchObject({ unanswered: 0 });
    expect(t.interactions()[0]!.waitingSince).toBeUndefined();
  });
});

describe('the last agent participant and wrap-up', () => {
  it('re-routed: the last of my agent participants acts, the ended one does not', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-rerouted-two-agents.json'), 0);
    expect(t.lastAgent(CONV)).toMatchObject({
      participant: { id: '29d0e1f2-a3b4-4c5d-8e6f-8091a2b3c4d5' },
      communication: { id: '3ae1f2a3-b4c5-4d6e-9f70-91a2b3c4d5e6', state: 'connected' },
    });
    expect(t.interactions()[0]).toMatchObject({
      state: 'connected',
      participantId: '29d0e1f2-a3b4-4c5d-8e6f-8091a2b3c4d5',
      communicationId: '3ae1f2a3-b4c5-4d6e-9f70-91a2b3c4d5e6',
    });
  });

  it('a call (no messaging communication) owing a wrap-up is no interaction, and is not kept', () => {
    const t = new ConversationTracker(ME);
    const call = snap('event-disconnected-wrapup-required.json');
    for (const p of call.participants) p.communications = [];
    const change = t.apply(call, 0);
    expect(change.offerStarted).toBeUndefined();
    expect(change.newCustomerMessages).toEqual([]);
    expect(t.interactions()).toEqual([]);
    expect(t.ids()).toEqual([]);
  });

  it('ended with wrapupRequired: wrap-up is owed until a wrap-up code shows', () => {
    const t = new ConversationTracker(ME);
    const ended = snap('event-disconnected-wrapup-required.json');
    t.apply(ended, 0);
    expect(t.interactions()[0]).toMatchObject({ state: 'wrapup' });
    const done = structuredClone(ended);
    done.participants.at(-1)!.wrapupGiven = true;
    t.apply(done, 1);
    expect(t.interactions()).toEqual([]);
    // Over for the user: no longer followed (memory stays bounded over a day of interactions).
    expect(t.ids()).toEqual([]);
  });
});

describe('when the customer wrote, not when the engine read it', () => {
  const LATE = '8a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b';

  it('written while connected, first read after the user ended and wrapped up: the user’s, and nothing comes back', () => {
    const t = new ConversationTracker(ME);
    t.apply(snap('event-connected-messages.json'), 0);
    // A gap: the engine next reads the conversation (a catch-up) ended and wrapped up, with a
    // customer message it never saw, written before the user's part ended.
    const change = t.apply(snap('rest-conversation-wrapped-up-late-message.json'), 1);
    expect(change.newCustomerMessages.map((m) => m.id)).toEqual([LATE]);
    expect(kinds(change)).toEqual(['customer']);
    expect(change.presence.connectedNow).toBe(false);
    // Told, but the ended interaction is not listed again, nor followed.
    expect(t.interactions()).toEqual([]);
    expect(t.ids()).toEqual([]);
    // An event after the end (a receipt) hands over nothing already handed over.
    expect(t.apply(snap('rest-conversation-wrapped-up-late-message.json'), 2).newCustomerMessages).toEqual(
      [],
    );
    expect(t.ids()).toEqual([]);
  });

  it('first seen after the end (a new run): only what was written while the user was connected is the user’s', () => {
    const change = new ConversationTracker(ME).apply(
      snap('rest-conversation-wrapped-up-late-message.json'),
      0,
    );
    // The offer's message (before the user connected), then two written while connected.
    expect(change.newCustomerMessages.map((m) => m.id)).toEqual([FIRST, SECOND, LATE]);
    expect(kinds(change)).toEqual(['context', 'customer', 'customer']);
  });

  it('transferred to a colleague: before, during and after the user’s part', () => {
    const t = new ConversationTracker(ME);
    const change = t.apply(snap('event-transferred-to-colleague.json'), 0);
    expect(change.newCustomerMessages.map((m) => m.id)).toEqual([
      FIRST,
      SECOND,
      '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
    ]);
    expect(kinds(change)).toEqual(['context', 'customer', 'context']);
    expect(t.interactions()).toEqual([]);
    // The colleague's view: their span starts at the transfer.
    const theirs = new ConversationTracker('9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a').apply(
      snap('event-transferred-to-colleague.json'),
      0,
    );
    expect(kinds(theirs)).toEqual(['context', 'context', 'customer']);
  });

  it('re-routed back to the user: each of the user’s spans counts, the time between does not', () => {
    const s = snap('event-rerouted-two-agents.json');
    // The first span ends at 14:07:05.300; the second starts a little later (re-routed back).
    s.participants.at(-1)!.communications[0]!.connectedAt = Date.parse('2026-03-02T14:07:40.000Z');
    s.participants[0]!.communications[0]!.messages.push(
      { id: 'between', at: Date.parse('2026-03-02T14:07:20.000Z') },
      { id: 'second-span', at: Date.parse('2026-03-02T14:08:00.000Z') },
    );
    const change = new ConversationTracker(ME).apply(s, 0);
    expect(change.presence.spans).toHaveLength(2);
    expect(kinds(change)).toEqual(['context', 'customer', 'context', 'customer']);
  });

  it('seen arriving while the user stayed connected: the user’s, whatever its time says (a server clock behind)', () => {
    const t = new ConversationTracker(ME);
    const connected = snap('event-connected-messages.json');
    t.apply(connected, 0);
    // Dated before the user's connectedTime (14:05:19.532): the clocks disagree, the order does not.
    const next = withCustomerMessage(connected, 'behind', '2026-03-02T14:05:00.000Z');
    const change = t.apply(next, 1);
    expect(change.newCustomerMessages.map((m) => judge(m.at, change.presence))).toEqual([
      { kind: 'customer', by: 'seen' },
    ]);
    // Re-routed in between (another communication now): the order proves nothing, the spans judge.
    const rerouted = snap('event-rerouted-two-agents.json');
    const r = new ConversationTracker(ME);
    r.apply(connected, 0);
    const moved = withCustomerMessage(rerouted, 'between', '2026-03-02T14:07:05.000Z');
    const c = r.apply(moved, 1);
    expect(c.presence.connectedThrough).toBeUndefined();
    expect(kinds(c)).toEqual(['customer']); // 14:07:05.000 is inside the first span (to 14:07:05.300)
  });

  it('an offer declined or timed out was never a span: whatever the customer wrote is context', () => {
    const timedOut = withCustomerMessage(
      snap('event-offer-timed-out.json'),
      'after-timeout',
      '2026-03-02T14:06:00.000Z',
    );
    const change = new ConversationTracker(ME).apply(timedOut, 0);
    expect(change.presence).toEqual({ spans: [], connectedNow: false });
    expect(kinds(change)).toEqual(['context', 'context']);
  });

  it('without connectedTime or disconnectedTime, a message is judged by the current state (and says so)', () => {
    const connected = snap('event-connected-messages.json');
    delete connected.participants.at(-1)!.communications[0]!.connectedAt;
    const c = new ConversationTracker(ME).apply(connected, 0);
    expect(c.presence).toEqual({ spans: [], missing: 'connectedTime', connectedNow: true });
    expect(c.newCustomerMessages.map((m) => judge(m.at, c.presence))).toEqual([
      { kind: 'customer', by: 'state', missing: 'connectedTime' },
      { kind: 'customer', by: 'state', missing: 'connectedTime' },
    ]);
    const ended = snap('rest-conversation-wrapped-up-late-message.json');
    delete ended.participants.at(-1)!.communications[0]!.disconnectedAt;
    const e = new ConversationTracker(ME).apply(ended, 0);
    expect(e.presence).toEqual({ spans: [], missing: 'disconnectedTime', connectedNow: false });
    expect(kinds(e)).toEqual(['context', 'context', 'context']);
  });
});
