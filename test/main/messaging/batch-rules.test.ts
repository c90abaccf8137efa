// From a tracked change to the engine's batch, and the offer semantics the rules apply to it: what a
// user would notice is which events notify, which wait, which stay silent, and that a notification
// carries its text (or says it could not).
import { describe, expect, it } from 'vitest';
import { defaultServerSettings } from '../../../src/main/engine/model.ts';
import type { DecisionContext } from '../../../src/main/engine/rules.ts';
import { fixedOffsetClock } from '../../../src/main/engine/rules.ts';
import { buildBatch, idsToRead, verdicts } from '../../../src/main/messaging/batch.ts';
import { NOT_CONNECTED, type Presence } from '../../../src/main/messaging/presence.ts';
import { decideCustomerEvent } from '../../../src/main/messaging/rules.ts';
import type { TrackerChange } from '../../../src/main/messaging/tracker.ts';
import type { MessagingEvent, TranscriptEntry } from '../../../src/main/messaging/types.ts';

const CHAT = { id: 'conv-1', kind: 'customer', jid: '', name: 'Maya', channel: 'whatsapp' } as const;

/** Connected since before anything in these tests, and still. */
const CONNECTED: Presence = { spans: [{ from: 0 }], connectedNow: true };

function change(over: Partial<TrackerChange> = {}): TrackerChange {
  return { chat: CHAT, newCustomerMessages: [], presence: CONNECTED, answeredAt: 0, ...over };
}

const entry = (id: string, text: string, over: Partial<TranscriptEntry> = {}): TranscriptEntry => ({
  id,
  author: 'customer',
  text,
  attachments: [],
  at: 1,
  ...over,
});

describe('buildBatch', () => {
  it('an offer carries the first message’s text and the offer; its own messages stay context', () => {
    const c = change({
      presence: NOT_CONNECTED,
      newCustomerMessages: [{ id: 'm1', at: 100 }],
      offerStarted: {
        messageId: 'offer:p1',
        participantId: 'p1',
        communicationId: 'c1',
        alertingTimeoutMs: 30_000,
        expiresAt: 40_000,
        createdAt: 150,
        firstMessage: { id: 'm1', at: 100 },
      },
    });
    expect(idsToRead(c)).toEqual(['m1']);
    const batch = buildBatch(c, new Map([['m1', entry('m1', 'Hello')]]), 'push', 'cust-1', 7)!;
    expect(batch.chat).toBe(CHAT);
    expect(batch.events.map((e) => e.type === 'created' && [e.message.id, e.message.customerKind])).toEqual([
      ['m1', 'context'],
      ['offer:p1', 'offer'],
    ]);
    const offer = batch.events[1] as Extract<MessagingEvent, { type: 'created' }>;
    expect(offer.message).toMatchObject({
      body: 'Hello',
      createdAt: 150,
      chatId: 'conv-1',
      chatKind: 'customer',
      senderId: 'cust-1',
      senderName: 'Maya',
      channel: 'whatsapp',
      offer: { participantId: 'p1', communicationId: 'c1', alertingTimeoutMs: 30_000, expiresAt: 40_000 },
    });
    expect(offer.message.textMissing).toBeUndefined();
  });

  it('reads no text for messages that cannot notify, unless it is needed to date them', () => {
    const later = [
      { id: 'm1', at: 100 },
      { id: 'm2', at: 0 },
    ];
    expect(idsToRead(change({ newCustomerMessages: later }))).toEqual(['m1', 'm2']);
    // Not connected (after a decline, a time-out, the end): only the undated one.
    expect(idsToRead(change({ presence: NOT_CONNECTED, newCustomerMessages: later }))).toEqual(['m2']);
    // Ended now, but connected when m1 was written (read late): its text is needed.
    const then: Presence = { spans: [{ from: 50, to: 150 }], connectedNow: false };
    expect(idsToRead(change({ presence: then, newCustomerMessages: later }))).toEqual(['m1', 'm2']);
    const batch = buildBatch(
      change({ presence: NOT_CONNECTED, newCustomerMessages: later }),
      new Map(),
      'push',
      'c',
      5,
    );
    expect(batch!.events.map((e) => e.type === 'created' && e.message.customerKind)).toEqual([
      'context',
      'context',
    ]);
  });

  it('each message counts by whether the user was connected when it was written, however late it is read', () => {
    // Connected 100..200, re-routed, connected again from 300 on; the batch is read after all that.
    const presence: Presence = { spans: [{ from: 100, to: 200 }, { from: 300 }], connectedNow: true };
    const refs = [
      { id: 'offer-time', at: 90 },
      { id: 'first-span', at: 100 },
      { id: 'between', at: 250 },
      { id: 'second-span', at: 400 },
      { id: 'undated-between', at: 0 },
      { id: 'undated-in-span', at: 0 },
    ];
    const texts = new Map([
      ['undated-between', entry('undated-between', 'a', { at: 260 })],
      ['undated-in-span', entry('undated-in-span', 'b', { at: 150 })],
    ]);
    const batch = buildBatch(change({ presence, newCustomerMessages: refs }), texts, 'backfill', 'c', 9)!;
    expect(batch.events.map((e) => e.type === 'created' && [e.message.id, e.message.customerKind])).toEqual([
      ['offer-time', 'context'],
      ['first-span', 'customer'],
      ['between', 'context'],
      ['second-span', 'customer'],
      ['undated-between', 'context'],
      ['undated-in-span', 'customer'],
    ]);
  });

  it('without the time it needs, a message is judged by the current state, and the verdict says what was missing', () => {
    const refs = [
      { id: 'undated', at: 0 },
      { id: 'outside', at: 500 },
    ];
    // The user's communication is connected but shows no connectedTime.
    const noStart: Presence = { spans: [], missing: 'connectedTime', connectedNow: true };
    expect([
      ...verdicts(change({ presence: noStart, newCustomerMessages: refs }), new Map()).values(),
    ]).toEqual([
      { kind: 'customer', by: 'state', missing: 'messageTime' },
      { kind: 'customer', by: 'state', missing: 'connectedTime' },
    ]);
    // Connected at 100, no longer connected, no disconnectedTime: after 100 nobody knows.
    const noEnd: Presence = { spans: [], missing: 'disconnectedTime', connectedNow: false };
    expect(
      verdicts(change({ presence: noEnd, newCustomerMessages: refs }), new Map()).get('outside'),
    ).toEqual({
      kind: 'context',
      by: 'state',
      missing: 'disconnectedTime',
    });
    // Inside a known span, a missing time elsewhere does not matter.
    const inSpan = verdicts(
      change({
        presence: { spans: [{ from: 400, to: 600 }], missing: 'disconnectedTime', connectedNow: false },
        newCustomerMessages: refs,
      }),
      new Map(),
    );
    expect(inSpan.get('outside')).toEqual({ kind: 'customer', by: 'spans' });
  });

  it('a text that could not be read still makes its event, flagged', () => {
    const batch = buildBatch(
      change({ newCustomerMessages: [{ id: 'm2', at: 5 }] }),
      new Map(),
      'push',
      'c',
      7,
    )!;
    const created = batch.events[0] as Extract<MessagingEvent, { type: 'created' }>;
    expect(created.message).toMatchObject({
      id: 'm2',
      body: '',
      textMissing: true,
      customerKind: 'customer',
    });
  });

  it('a message dated by neither its event nor its text read is dated when it was seen, not 0', () => {
    const refs = [
      { id: 'undated', at: 0 },
      { id: 'dated-by-text', at: 0 },
    ];
    const texts = new Map([['dated-by-text', entry('dated-by-text', 'Hi', { at: 40 })]]);
    const batch = buildBatch(change({ newCustomerMessages: refs }), texts, 'push', 'c', 9_000)!;
    expect(batch.events.map((e) => e.type === 'created' && e.message.createdAt)).toEqual([9_000, 40]);
  });

  it('a bot message or a presence event under the customer never notifies; an attachment does', () => {
    const refs = [
      { id: 'bot', at: 1 },
      { id: 'join', at: 2 },
      { id: 'pic', at: 3 },
    ];
    const texts = new Map([
      ['bot', entry('bot', 'Hi from the bot', { author: 'bot' })],
      ['join', entry('join', '')],
      ['pic', entry('pic', '', { attachments: [{ label: 'a.png' }] })],
    ]);
    const batch = buildBatch(change({ newCustomerMessages: refs }), texts, 'push', 'c', 7)!;
    expect(batch.events.map((e) => e.type === 'created' && e.message.customerKind)).toEqual([
      'context',
      'context',
      'customer',
    ]);
  });

  it('a catch-up leaves answered customer messages silent, the unanswered ones notify', () => {
    const refs = [
      { id: 'old', at: 100 },
      { id: 'new', at: 300 },
    ];
    const texts = new Map(refs.map((r) => [r.id, entry(r.id, r.id)]));
    const kinds = (source: 'push' | 'backfill') =>
      buildBatch(change({ newCustomerMessages: refs, answeredAt: 200 }), texts, source, 'c', 7)!.events.map(
        (e) => e.type === 'created' && e.message.customerKind,
      );
    expect(kinds('backfill')).toEqual(['context', 'customer']);
    expect(kinds('push')).toEqual(['customer', 'customer']);
  });

  it('an ended offer becomes a delete of the offer’s id, with why; nothing new is no batch', () => {
    const batch = buildBatch(
      change({ offerEnded: { messageId: 'offer:p1', participantId: 'p1', reason: 'timed-out' } }),
      new Map(),
      'push',
      'c',
      7,
    );
    expect(batch?.events).toEqual([
      { type: 'deleted', source: 'push', chatId: 'conv-1', messageId: 'offer:p1', reason: 'timed-out' },
    ]);
    expect(buildBatch(change(), new Map(), 'push', 'c', 7)).toBeUndefined();
  });
});

describe('offer semantics (decideCustomerEvent)', () => {
  const created = (customerKind: 'offer' | 'customer' | 'context'): MessagingEvent => ({
    type: 'created',
    source: 'push',
    message: {
      id: 'x',
      chatId: 'conv-1',
      chatKind: 'customer',
      customerKind,
      channel: 'sms',
      senderId: 'c',
      body: 'hi',
      attachments: [],
      createdAt: 1,
      mentions: [],
      notifyAll: false,
      reactions: {},
    },
  });
  const ctx = (
    app: Partial<DecisionContext['app']> = {},
    server = defaultServerSettings,
  ): DecisionContext => ({
    me: { id: 'me' },
    server,
    app: { chatMutes: {}, keywords: [], ...app },
    // 03:00 UTC, read in UTC
    now: Date.UTC(2026, 2, 2, 3, 0),
    localTime: fixedOffsetClock(0),
  });
  const quiet = { quietHours: { start: '22:00', end: '07:00' } };

  it('an offer notifies through do-not-disturb, quiet hours and the Genesys chat mute', () => {
    for (const c of [
      ctx(),
      ctx({ dnd: true }),
      ctx(quiet),
      ctx({}, { ...defaultServerSettings, muted: true }),
    ])
      expect(decideCustomerEvent(created('offer'), c)).toEqual({ action: 'notify', kind: 'offer' });
  });

  it('a customer message follows the user’s rules: held by DND and quiet hours, silenced by a mute', () => {
    expect(decideCustomerEvent(created('customer'), ctx())).toEqual({ action: 'notify', kind: 'customer' });
    expect(decideCustomerEvent(created('customer'), ctx({ dnd: true }))).toMatchObject({
      action: 'hold',
      heldBy: 'dnd',
    });
    expect(decideCustomerEvent(created('customer'), ctx(quiet))).toMatchObject({
      action: 'hold',
      heldBy: 'quiet-hours',
    });
    expect(decideCustomerEvent(created('customer'), ctx({ chatMutes: { 'conv-1': {} } }))).toEqual({
      action: 'ignore',
      reason: 'chat-muted',
    });
  });

  it('context never notifies; an ended offer withdraws', () => {
    expect(decideCustomerEvent(created('context'), ctx())).toEqual({ action: 'ignore', reason: 'context' });
    expect(
      decideCustomerEvent(
        { type: 'deleted', source: 'push', chatId: 'conv-1', messageId: 'offer:p', reason: 'accepted' },
        ctx(),
      ),
    ).toEqual({ action: 'withdraw', chatId: 'conv-1', messageId: 'offer:p' });
  });
});
