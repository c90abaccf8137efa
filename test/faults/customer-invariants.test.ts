// The customer-conversation invariants on made-up rounds: each failure they exist to catch is caught
// (offers told twice, missed or left showing; customer messages missed, doubled or told while the
// user was not connected; bot and own messages told; actions refused, doubled, lost, in the wrong
// state or out of order; steady requests while push is up), and a clean round passes.
import { describe, expect, it } from 'vitest';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import {
  checkCustomers,
  type CustomerActionOutcome,
  type CustomerObservation,
} from './customer-invariants.ts';

const CONV = 'conv-1';

const note = (kind: NotificationOut['kind'], ids: string[], chatId = CONV): NotificationOut => ({
  kind,
  chatId,
  chatName: 'Customer 0',
  messageId: ids.at(-1)!,
  messageIds: ids,
  title: 'x',
  body: '',
  at: 0,
});

const action = (
  kind: CustomerActionOutcome['kind'],
  landedAt: number,
  change: Partial<CustomerActionOutcome> = {},
): CustomerActionOutcome => ({
  step: `c0 ${kind}`,
  kind,
  conversationId: CONV,
  done: true,
  attempts: 1,
  copies: 1,
  landedAt,
  ...change,
});

/** Customer 0: offered, accepted, writes m1 (connected), the user replies, ends and wraps up. */
function observation(change: Partial<CustomerObservation> = {}): CustomerObservation {
  return {
    conversations: [CONV],
    offers: [
      { messageId: 'offer:p1', conversationId: CONV, step: 'c0 accept', fate: 'accept', mustNotify: true },
    ],
    messages: [
      { id: 'm0', step: 'w0', conversationId: CONV, connected: false },
      { id: 'm1', step: 'w1', conversationId: CONV, connected: true },
    ],
    silent: [
      { id: 'bot1', why: 'bot' },
      { id: 'mine1', why: 'agent' },
    ],
    receipts: 2,
    actions: [action('accept', 10), action('reply', 20), action('end', 30), action('wrapup', 40)],
    withdrawals: [{ after: 1, ids: ['offer:p1'] }],
    quiet: { ms: 1500, requests: 0, active: 1, push: true },
    ...change,
  };
}

const clean = [note('offer', ['offer:p1']), note('customer', ['m1'])];

describe('customer conversation invariants', () => {
  it('pass a clean round and count it', () => {
    const r = checkCustomers(clean, observation());
    expect(r.failures).toEqual([]);
    expect(r.counts).toMatchObject({
      offers: 1,
      offersNotifiable: 1,
      offersNotified: 1,
      offersWithdrawn: 1,
      customerNotifiable: 1,
      customerNotified: 1,
      receipts: 2,
      customerActions: 4,
      customerActionsApplied: 4,
    });
  });

  it('catch an offer told twice, a seen offer never told, and one never alerted', () => {
    const twice = checkCustomers([...clean, note('offer', ['offer:p1'])], observation());
    expect(twice.failures).toEqual([expect.stringMatching(/^duplicate: offer c0 accept/)]);
    const missed = checkCustomers([note('customer', ['m1'])], observation());
    expect(missed.failures).toEqual([expect.stringMatching(/^missed: offer c0 accept/)]);
    const stray = checkCustomers([...clean, note('offer', ['offer:p9'])], observation());
    expect(stray.failures).toEqual([expect.stringMatching(/^forbidden: offer offer:p9 .*never alerted/)]);
  });

  it('allow an offer that timed out before it could be seen at most once, withdrawn if shown', () => {
    const blind = observation({
      offers: [
        {
          messageId: 'offer:p1',
          conversationId: CONV,
          step: 'c0 timeout',
          fate: 'timeout',
          mustNotify: false,
        },
      ],
      withdrawals: [],
    });
    expect(checkCustomers([note('customer', ['m1'])], blind).failures).toEqual([]);
    expect(checkCustomers(clean, blind).failures).toEqual([
      expect.stringMatching(/^not withdrawn: offer c0 timeout/),
    ]);
  });

  it('require an ended offer withdrawn after it was shown, not before', () => {
    const early = observation({ withdrawals: [{ after: 0, ids: ['offer:p1'] }] });
    expect(checkCustomers(clean, early).failures).toEqual([expect.stringMatching(/^not withdrawn: offer/)]);
    // Still alerting at the end: nothing to withdraw.
    const open = observation({
      offers: [{ messageId: 'offer:p1', conversationId: CONV, step: 'c0', fate: 'open', mustNotify: true }],
      withdrawals: [],
    });
    expect(checkCustomers(clean, open).failures).toEqual([]);
  });

  it('require each message written while connected exactly once, alone or in a digest', () => {
    expect(checkCustomers([note('offer', ['offer:p1'])], observation()).failures).toEqual([
      expect.stringMatching(/^missed: customer message w1/),
    ]);
    const twice = checkCustomers([...clean, note('digest', ['m1', 'mx'])], observation());
    expect(twice.failures).toContainEqual(
      expect.stringMatching(/^duplicate: customer message w1 \(m1\) notified 2x/),
    );
    expect(twice.failures).toContainEqual(expect.stringMatching(/^forbidden: mx .*no customer wrote it/));
  });

  it('forbid messages written while not connected, bot messages and the user own', () => {
    const r = checkCustomers(
      [...clean, note('customer', ['m0']), note('customer', ['bot1']), note('customer', ['mine1'])],
      observation(),
    );
    expect(r.failures).toEqual([
      expect.stringMatching(/^forbidden: w0 \(m0\) notified 1x, written while not connected/),
      expect.stringMatching(/^forbidden: a bot message/),
      expect.stringMatching(/^forbidden: a agent message/),
    ]);
    const wrongKind = checkCustomers([...clean, note('message', ['m9'])], observation());
    expect(wrongKind.failures).toContainEqual(
      expect.stringMatching(/^forbidden: a message notification in customer/),
    );
  });

  it('catch actions refused, applied twice, not applied or leaving the wrong state', () => {
    const actions = [
      action('accept', 10, { done: false, copies: 0, error: 'This offer is no longer waiting.' }),
      action('reply', 20, { copies: 2 }),
      action('end', 30, { copies: 0 }),
      action('wrapup', 40, { truthError: 'the wrap-up code is none' }),
    ];
    const r = checkCustomers(clean, observation({ actions }));
    expect(r.failures).toEqual([
      'refused: accept c0 accept (This offer is no longer waiting.) after 1 attempt(s)',
      'double-applied: reply c0 reply is in the simulator 2x',
      'not applied: end c0 end is not in the simulator',
      'wrong state: wrapup c0 wrapup: the wrap-up code is none',
    ]);
    expect(r.counts.customerActionsApplied).toBe(0);
  });

  it('catch actions of one conversation landing out of order', () => {
    const actions = [action('accept', 10), action('reply', 35), action('end', 30), action('wrapup', 40)];
    expect(checkCustomers(clean, observation({ actions })).failures).toEqual([
      'out of order: end c0 end landed before reply c0 reply',
    ]);
  });

  it('catch steady requests in a calm stretch with push up (not while push was down)', () => {
    const busy = observation({ quiet: { ms: 1500, requests: 3, active: 2, push: true } });
    expect(checkCustomers(clean, busy).failures).toEqual([expect.stringMatching(/^steady requests: 3 /)]);
    const down = observation({ quiet: { ms: 1500, requests: 3, active: 2, push: false } });
    expect(checkCustomers(clean, down).failures).toEqual([]);
  });
});
