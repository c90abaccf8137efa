// The invariant checks themselves, on made-up rounds: each failure they exist to catch is caught.
import { describe, expect, it } from 'vitest';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import {
  BUDGET_PER_MINUTE,
  checkRound,
  maxPerWindow,
  messageNotifiable,
  type RoundObservation,
  type TruthMessage,
  type TruthSettings,
} from './invariants.ts';

const ME = 'me';
const ROOM = 'room@conference';
const MUTED = 'muted@conference';

const settings = (change: Partial<TruthSettings> = {}): TruthSettings => ({
  mentionsOnly: false,
  notifyOnReactions: true,
  keywords: [],
  mutedChats: [MUTED],
  ...change,
});

const msg = (id: string, change: Partial<TruthMessage> = {}): TruthMessage => ({
  id,
  step: `p-${id}`,
  chatId: ROOM,
  chatKind: 'room',
  senderId: 'colleague',
  mentionsMe: false,
  body: `[${id}] hello`,
  edited: false,
  deleted: false,
  ...change,
});

const note = (ids: string[], kind: NotificationOut['kind'] = 'message', title = 'x'): NotificationOut => ({
  kind: ids.length > 1 ? 'digest' : kind,
  chatId: ROOM,
  chatName: 'Room',
  messageId: ids.at(-1)!,
  messageIds: ids,
  title,
  body: '',
  at: 0,
});

function round(change: Partial<RoundObservation> = {}): RoundObservation {
  return {
    meId: ME,
    settings: settings(),
    messages: [msg('a'), msg('b'), msg('c', { chatKind: 'oneOnOne', chatId: 'colleague' })],
    reactions: [],
    notifications: [note(['a']), note(['b']), note(['c'], 'direct')],
    actions: [{ step: 'r0', kind: 'reply', queued: true, finalState: 'sent', copies: 1 }],
    requests: [],
    channelsSettled: 1,
    afterStop: { channels: 0, requests: 0 },
    ...change,
  };
}

describe('fault suite invariants', () => {
  it('pass a clean round, counting a digest as one notification per message', () => {
    const ok = checkRound(round({ notifications: [note(['a', 'b']), note(['c'], 'direct')] }));
    expect(ok.failures).toEqual([]);
    expect(ok.counts).toMatchObject({ notifiable: 3, notified: 3, actionsQueued: 1, actionsApplied: 1 });
  });

  it('catch a message notified twice, once alone and once in a digest', () => {
    const r = checkRound(round({ notifications: [note(['a']), note(['a', 'b']), note(['c'], 'direct')] }));
    expect(r.counts.duplicates).toBe(1);
    expect(r.failures).toEqual([expect.stringMatching(/^duplicate: p-a/)]);
  });

  it('catch a missed message', () => {
    const r = checkRound(round({ notifications: [note(['a']), note(['c'], 'direct')] }));
    expect(r.counts.missed).toBe(1);
    expect(r.failures).toEqual([expect.stringMatching(/^missed: p-b/)]);
  });

  it('catch what the rules forbid: muted chats, mentions-only, own and history messages', () => {
    const messages = [
      msg('a', { chatId: MUTED, mentionsMe: true }),
      msg('b'),
      msg('k', { body: 'the Deploy is done' }),
    ];
    const r = checkRound(
      round({
        settings: settings({ mentionsOnly: true, keywords: ['deploy'] }),
        messages,
        notifications: [note(['a']), note(['b']), note(['k']), note(['mine'])],
      }),
    );
    expect(r.counts.forbidden).toBe(3);
    expect(r.counts.notified).toBe(1); // the keyword pierces mentions-only
    expect(r.failures.join('\n')).toMatch(/p-a .*muted chat/);
    expect(r.failures.join('\n')).toMatch(/p-b .*mentions only/);
    expect(r.failures.join('\n')).toMatch(/mine notified 1x but no colleague posted it/);
  });

  it('judge notifiability from the rules alone', () => {
    const s = settings({ mentionsOnly: true, keywords: ['on call'] });
    expect(messageNotifiable(msg('x', { mentionsMe: true }), s, ME)).toBe(true);
    expect(messageNotifiable(msg('x', { chatKind: 'oneOnOne', chatId: 'u' }), s, ME)).toBe(true);
    expect(messageNotifiable(msg('x', { body: 'who is On Call?' }), s, ME)).toBe(true);
    expect(messageNotifiable(msg('x', { body: 'on calling' }), s, ME)).toBe(false);
    expect(messageNotifiable(msg('x', { senderId: ME, mentionsMe: true }), s, ME)).toBe(false);
    expect(messageNotifiable(msg('x', { chatId: MUTED, chatKind: 'room', mentionsMe: true }), s, ME)).toBe(
      false,
    );
  });

  it('allow a deleted message at most once', () => {
    const messages = [msg('a', { deleted: true }), msg('b', { deleted: true })];
    const once = checkRound(round({ messages, notifications: [note(['a'])] }));
    expect(once.failures).toEqual([]);
    expect(once.counts.excluded).toBe(2);
    const twice = checkRound(round({ messages, notifications: [note(['a']), note(['a'])] }));
    expect(twice.failures).toEqual([expect.stringMatching(/^duplicate: deleted p-a/)]);
  });

  it('require each reaction made while push was up exactly once, and with its emoji', () => {
    const reaction = {
      step: 'react:r0',
      messageId: 'mine',
      chatId: ROOM,
      chatKind: 'room' as const,
      reactorId: 'colleague',
      emoji: '🎉',
      pushUp: true,
    };
    const base = round({ messages: [], notifications: [], actions: [], reactions: [reaction] });
    const told = note(['mine'], 'reaction', 'Priya reacted 🎉 to your message');
    expect(checkRound({ ...base, notifications: [told] }).failures).toEqual([]);
    expect(checkRound(base).failures).toEqual([expect.stringMatching(/^missed: reaction/)]);
    expect(checkRound({ ...base, notifications: [told, told] }).failures).toEqual([
      expect.stringMatching(/^duplicate: reaction/),
    ]);
    const wrong = note(['mine'], 'reaction', 'Priya reacted 👍 to your message');
    expect(checkRound({ ...base, notifications: [wrong] }).failures).toEqual([
      expect.stringMatching(/wrong emoji/),
    ]);
    // Reactions off: never. Push disturbed: at most once.
    const off = { ...base, settings: settings({ notifyOnReactions: false }), notifications: [told] };
    expect(checkRound(off).counts.forbidden).toBe(1);
    const gap = { ...base, reactions: [{ ...reaction, pushUp: false }] };
    expect(checkRound(gap).failures).toEqual([]);
    expect(checkRound({ ...gap, notifications: [told, told] }).counts.duplicates).toBe(1);
    // A backlog digest that names the reacted-to message tells the reaction (once, with a message).
    const withPost = { ...base, messages: [msg('a')] };
    const digest = note(['a', 'mine'], 'digest', '2 new in Room');
    const inDigest = checkRound({ ...withPost, notifications: [digest] });
    expect(inDigest.failures).toEqual([]);
    expect(inDigest.counts).toMatchObject({ notified: 2, forbidden: 0, missed: 0 });
    expect(checkRound({ ...withPost, notifications: [digest, told] }).failures).toEqual([
      expect.stringMatching(/^duplicate: reaction/),
    ]);
  });

  it('catch an action applied twice or not at all', () => {
    const twice = checkRound(
      round({ actions: [{ step: 'r0', kind: 'reply', queued: true, finalState: 'sent', copies: 2 }] }),
    );
    expect(twice.counts.doubleApplied).toBe(1);
    const never = checkRound(
      round({ actions: [{ step: 'pin p1', kind: 'pin', queued: true, finalState: 'failed', copies: 0 }] }),
    );
    expect(never.counts.actionsNotApplied).toBe(1);
    // The engine queues whenever it knows the account: a refused action is a failure.
    const unqueued = checkRound(
      round({ actions: [{ step: 'r1', kind: 'reply', queued: false, copies: 0, error: 'Not signed in.' }] }),
    );
    expect(unqueued.counts.actionsQueued).toBe(0);
    expect(unqueued.failures).toEqual(['not queued: reply r1 (Not signed in.)']);
  });

  it('count requests in rolling 60 s windows and fail past the budget', () => {
    const at = (n: number, from: number, step: number): number[] =>
      Array.from({ length: n }, (_, i) => from + i * step);
    expect(maxPerWindow([0, 59_999, 60_000, 120_000])).toBe(2);
    const api = (times: number[]) =>
      times.map((receivedAt) => ({ receivedAt, method: 'GET', path: '/api/v2/x', status: 200 }));
    const full = checkRound(round({ requests: api(at(BUDGET_PER_MINUTE, 0, 250)) }));
    expect(full.failures).toEqual([]);
    expect(full.counts.maxRequestsPerMinute).toBe(BUDGET_PER_MINUTE);
    expect(full.counts.maxRequestsAcrossRestarts).toBe(BUDGET_PER_MINUTE);
    const over = checkRound(round({ requests: api(at(BUDGET_PER_MINUTE + 1, 0, 250)) }));
    expect(over.failures).toEqual([
      expect.stringMatching(/^budget: 201 API requests of one engine within 60 s/),
    ]);
    // A restart starts a new engine with its own budget: each keeps it, together under Genesys's 300.
    const restarted = api([...at(150, 0, 100), ...at(150, 20_000, 100)]);
    const split = checkRound(round({ requests: restarted, engineStarts: [20_000] }));
    expect(split.failures).toEqual([]);
    expect(split.counts).toMatchObject({ maxRequestsPerMinute: 150, maxRequestsAcrossRestarts: 300 });
    expect(checkRound(round({ requests: restarted })).failures).toEqual([
      expect.stringMatching(/^budget: 300 API requests of one engine/),
    ]);
    const heavy = api([...at(160, 0, 100), ...at(160, 20_000, 100)]);
    expect(checkRound(round({ requests: heavy, engineStarts: [20_000] })).failures).toEqual([
      expect.stringMatching(/^limit: 320 API requests within 60 s across restarts/),
    ]);
    // Sockets and sign-ins are not API requests.
    const other = at(300, 0, 10).map((receivedAt) => ({
      receivedAt,
      method: 'POST',
      path: '/oauth/token',
      status: 200,
    }));
    expect(checkRound(round({ requests: other })).failures).toEqual([]);
  });

  it('leave customer conversations to their own checks, and forbid them in a round without customers', () => {
    const offer = note(['offer:p1'], 'offer');
    const customer = { ...note(['m1'], 'customer'), chatId: 'conv-1' };
    const customers = {
      conversations: ['conv-1'],
      offers: [
        {
          messageId: 'offer:p1',
          conversationId: 'conv-1',
          step: 'c0',
          fate: 'open' as const,
          mustNotify: true,
        },
      ],
      messages: [{ id: 'm1', step: 'w1', conversationId: 'conv-1', connected: true }],
      silent: [],
      receipts: 0,
      actions: [],
      withdrawals: [],
    };
    const base = round();
    const withCustomers = checkRound({
      ...base,
      customers,
      notifications: [...base.notifications, offer, customer],
    });
    expect(withCustomers.failures).toEqual([]);
    expect(withCustomers.counts).toMatchObject({ notified: 3, offersNotified: 1, customerNotified: 1 });
    const without = checkRound({ ...base, notifications: [...base.notifications, offer] });
    expect(without.failures).toEqual(['forbidden: 1 customer notification(s) in a round without customers']);
  });

  it('catch leaked sockets and requests after stop, and a round that never settled', () => {
    expect(checkRound(round({ channelsSettled: 2 })).failures).toEqual([
      expect.stringMatching(/^leak: 2 connected/),
    ]);
    expect(checkRound(round({ afterStop: { channels: 1, requests: 3 } })).failures).toEqual([
      expect.stringMatching(/^leak: after stop/),
    ]);
    expect(checkRound(round({ settleError: 'no push' })).failures).toEqual(['settle: no push']);
  });
});
