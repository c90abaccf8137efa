// Notification rules beyond the table: quiet-hours windows, DND, keywords, mute expiry, reactions.
import { describe, expect, it } from 'vitest';
import {
  activeHold,
  decide,
  fixedOffsetClock,
  inQuietHours,
  isChatMuted,
  matchesKeyword,
  type DecisionContext,
} from '../../src/main/engine/rules.ts';
import { defaultServerSettings, type ChatEvent } from '../../src/main/engine/model.ts';
import { ME, created, message } from './fixtures.ts';

const utc = fixedOffsetClock(0);
// 2025-01-06 is a Monday.
const at = (day: number, hour: number, minute = 0) => Date.UTC(2025, 0, 6 + day, hour, minute);
const MON = 0;
const FRI = 4;
const SAT = 5;

function ctx(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    me: { id: ME },
    server: defaultServerSettings,
    app: { chatMutes: {}, keywords: [] },
    now: at(MON, 12),
    localTime: utc,
    ...overrides,
  };
}

describe('quiet hours', () => {
  const overnightWeekdays = { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] };

  it('a window over midnight belongs to the day it starts on', () => {
    expect(inQuietHours(overnightWeekdays, utc(at(FRI, 23)))).toBe(true);
    expect(inQuietHours(overnightWeekdays, utc(at(SAT, 3)))).toBe(true); // Friday night
    expect(inQuietHours(overnightWeekdays, utc(at(MON, 3)))).toBe(false); // Sunday night: not listed
    expect(inQuietHours(overnightWeekdays, utc(at(SAT, 23)))).toBe(false);
    expect(inQuietHours(overnightWeekdays, utc(at(FRI, 12)))).toBe(false);
  });

  it('starts at its start minute and ends at its end minute', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(inQuietHours(lunch, utc(at(MON, 11, 59)))).toBe(false);
    expect(inQuietHours(lunch, utc(at(MON, 12, 0)))).toBe(true);
    expect(inQuietHours(lunch, utc(at(MON, 12, 59)))).toBe(true);
    expect(inQuietHours(lunch, utc(at(MON, 13, 0)))).toBe(false);
    expect(inQuietHours({ start: '22:00', end: '07:00' }, utc(at(MON, 7, 0)))).toBe(false);
    expect(inQuietHours({ start: '22:00', end: '07:00' }, utc(at(MON, 6, 59)))).toBe(true);
  });

  it('equal start and end means the whole of the listed days', () => {
    const weekends = { start: '00:00', end: '00:00', days: [0, 6] };
    expect(inQuietHours(weekends, utc(at(SAT, 15)))).toBe(true);
    expect(inQuietHours(weekends, utc(at(MON, 15)))).toBe(false);
  });

  it('a malformed time never silences anything', () => {
    expect(inQuietHours({ start: '25:00', end: '07:00' }, utc(at(MON, 23)))).toBe(false);
    expect(inQuietHours({ start: '9:00', end: '17:00' }, utc(at(MON, 12)))).toBe(false);
  });

  it('is read in local time', () => {
    // 21:30 UTC is 22:30 in a UTC+1 zone, inside 22:00–07:00 there; in UTC it is outside.
    const quiet = { start: '22:00', end: '07:00' };
    expect(inQuietHours(quiet, fixedOffsetClock(60)(at(MON, 21, 30)))).toBe(true);
    expect(inQuietHours(quiet, utc(at(MON, 21, 30)))).toBe(false);
    // 23:30 UTC on Friday is 00:30 Saturday at UTC+1.
    expect(fixedOffsetClock(60)(at(FRI, 23, 30))).toEqual({ weekday: 6, minutes: 30 });
  });

  it('holds a mention during quiet hours and notifies it outside', () => {
    const app = { chatMutes: {}, keywords: [], quietHours: { start: '22:00', end: '07:00' } };
    const event = created({ mentions: [ME] });
    expect(decide(event, ctx({ app, now: at(MON, 23) }))).toEqual({
      action: 'hold',
      kind: 'mention',
      reason: 'mention',
      heldBy: 'quiet-hours',
    });
    expect(decide(event, ctx({ app, now: at(MON, 8) }))).toEqual({
      action: 'notify',
      kind: 'mention',
      reason: 'mention',
    });
  });
});

describe('do not disturb', () => {
  it('holds everything that would notify, and says so ahead of quiet hours', () => {
    const app = { chatMutes: {}, keywords: [], dnd: true, quietHours: { start: '22:00', end: '07:00' } };
    const direct = created({ chatId: 'u-bob', chatKind: 'oneOnOne', senderId: 'u-bob' });
    expect(decide(direct, ctx({ app, now: at(MON, 23) }))).toMatchObject({ action: 'hold', heldBy: 'dnd' });
    expect(decide(direct, ctx({ app, now: at(MON, 12) }))).toMatchObject({ action: 'hold', heldBy: 'dnd' });
    expect(activeHold({ ...app, dnd: false }, at(MON, 12), utc)).toBeUndefined();
  });

  it('does not hold what would be ignored anyway', () => {
    const app = { chatMutes: {}, keywords: [], dnd: true };
    expect(decide(created({ senderId: ME }), ctx({ app }))).toEqual({
      action: 'ignore',
      reason: 'own-message',
    });
  });
});

describe('keywords', () => {
  it('match whole words in any case', () => {
    expect(matchesKeyword('Deploy!', ['deploy'])).toBe(true);
    expect(matchesKeyword('about the deployment', ['deploy'])).toBe(false);
    expect(matchesKeyword('redeploy now', ['deploy'])).toBe(false);
    expect(matchesKeyword('who is ON CALL tonight', ['on call'])).toBe(true);
    expect(matchesKeyword('learning c++ today', ['c++'])).toBe(true);
    expect(matchesKeyword('learning c today', ['c++'])).toBe(false);
    expect(matchesKeyword('un Café au lait', ['café'])).toBe(true);
    expect(matchesKeyword('les cafés', ['café'])).toBe(false);
    expect(matchesKeyword('ticket INC-42 reopened', ['inc-42'])).toBe(true);
  });

  it('a blank keyword matches nothing', () => {
    expect(matchesKeyword('anything at all', ['', '   '])).toBe(false);
  });

  it('a keyword notifies a room message even with mentionsOnly on', () => {
    const decision = decide(
      created({ body: 'Outage in EU' }),
      ctx({
        server: { ...defaultServerSettings, mentionsOnly: true },
        app: { chatMutes: {}, keywords: ['outage'] },
      }),
    );
    expect(decision).toEqual({ action: 'notify', kind: 'message', reason: 'keyword' });
  });
});

describe('mentions and the user', () => {
  it('recognises the user by jid as well as by id', () => {
    const me = { id: ME, jid: 'me@example.orgspan.com' };
    expect(decide(created({ mentions: ['me@example.orgspan.com'] }), ctx({ me }))).toMatchObject({
      action: 'notify',
      kind: 'mention',
    });
    expect(decide(created({ senderId: 'me@example.orgspan.com' }), ctx({ me }))).toEqual({
      action: 'ignore',
      reason: 'own-message',
    });
  });

  it('a mention of someone else is a plain room message', () => {
    expect(decide(created({ mentions: ['u-carol'] }), ctx())).toEqual({
      action: 'notify',
      kind: 'message',
      reason: 'room-message',
    });
  });

  it('an edit that adds a mention does not notify again', () => {
    const edit: ChatEvent = { type: 'edited', source: 'push', message: message({ mentions: [ME] }) };
    expect(decide(edit, ctx())).toEqual({ action: 'ignore', reason: 'edit' });
  });
});

describe('per-chat mutes', () => {
  it('last until their end and no longer', () => {
    const app = { chatMutes: { 'room-1': { until: at(MON, 13) } }, keywords: [] };
    expect(isChatMuted(app, 'room-1', at(MON, 12, 59))).toBe(true);
    expect(isChatMuted(app, 'room-1', at(MON, 13))).toBe(false);
    expect(isChatMuted(app, 'room-2', at(MON, 12))).toBe(false);
    expect(isChatMuted({ chatMutes: { 'room-1': {} }, keywords: [] }, 'room-1', at(MON + 365, 0))).toBe(true);
  });

  it('a mute of one chat leaves the others alone', () => {
    const app = { chatMutes: { 'room-2': {} }, keywords: [] };
    expect(decide(created(), ctx({ app }))).toMatchObject({ action: 'notify' });
  });

  it('a chat named like an Object property is not muted by accident', () => {
    expect(isChatMuted({ chatMutes: {}, keywords: [] }, 'constructor', at(MON, 12))).toBe(false);
  });
});

describe('reactions', () => {
  const mine = (reactions: Record<string, string[]>) => message({ senderId: ME, reactions });
  const reactions = (now: Record<string, string[]>, previous?: Record<string, string[]>): ChatEvent =>
    previous === undefined
      ? { type: 'reactions', source: 'push', message: mine(now) }
      : { type: 'reactions', source: 'push', message: mine(now), previous };

  it('my own reaction to my own message does not notify', () => {
    expect(decide(reactions({ '🎉': [ME] }, {}), ctx())).toEqual({
      action: 'ignore',
      reason: 'no-new-reaction',
    });
  });

  it('another emoji from someone who already reacted notifies', () => {
    expect(decide(reactions({ '👍': ['u-alice'], '🎉': ['u-alice'] }, { '👍': ['u-alice'] }), ctx())).toEqual(
      {
        action: 'notify',
        kind: 'reaction',
        reason: 'reaction',
      },
    );
  });

  it('someone else adding the same emoji notifies; nothing changing does not', () => {
    expect(decide(reactions({ '👍': ['u-alice', 'u-bob'] }, { '👍': ['u-alice'] }), ctx())).toMatchObject({
      action: 'notify',
    });
    expect(decide(reactions({ '👍': ['u-alice'] }, { '👍': ['u-alice'] }), ctx())).toMatchObject({
      action: 'ignore',
      reason: 'no-new-reaction',
    });
  });

  it('without a previous state every reaction by others counts as new', () => {
    expect(decide(reactions({ '👍': ['u-alice'] }), ctx())).toMatchObject({
      action: 'notify',
      kind: 'reaction',
    });
  });
});
