// The notification rules as a specification table: every combination of server settings, per-chat mute
// and quiet hours against every kind of event, with the expected outcome written out by hand.
import { describe, expect, it } from 'vitest';
import { decide, fixedOffsetClock, type Decision } from '../../src/main/engine/rules.ts';
import type { AppRules, ChatEvent } from '../../src/main/engine/model.ts';
import { ME, created, message } from './fixtures.ts';

// Columns: the events. `room-1` is a room, `u-bob` is the 1on1 with Bob.
const EVENTS: Record<string, ChatEvent> = {
  own: created({ id: 'e-own', senderId: ME, senderName: 'Me', body: 'deploy at noon' }),
  mention: created({ id: 'e-mention', mentions: [ME], body: '@me look' }),
  all: created({ id: 'e-all', notifyAll: true, body: '@all standup' }),
  '1on1': created({ id: 'e-direct', chatId: 'u-bob', chatKind: 'oneOnOne', senderId: 'u-bob', body: 'hi' }),
  room: created({ id: 'e-room', body: 'lunch anyone?' }),
  keyword: created({ id: 'e-keyword', body: 'the Deploy is done' }),
  edit: { type: 'edited', source: 'push', message: message({ id: 'e-edit', mentions: [ME], editedAt: 1 }) },
  delete: { type: 'deleted', source: 'push', chatId: 'room-1', messageId: 'e-delete' },
  'react+': {
    type: 'reactions',
    source: 'push',
    message: message({ id: 'e-mine', senderId: ME, reactions: { '👍': ['u-alice'] } }),
    previous: {},
  },
  'react-': {
    type: 'reactions',
    source: 'push',
    message: message({ id: 'e-mine', senderId: ME, reactions: {} }),
    previous: { '👍': ['u-alice'] },
  },
  'react-other': {
    type: 'reactions',
    source: 'push',
    message: message({ id: 'e-theirs', senderId: 'u-alice', reactions: { '👍': ['u-carol'] } }),
    previous: {},
  },
};

// Rows: muted (M/-), mentionsOnly (O/-), notifyOnReactions (R/-), per-chat mute (off/on/exp), quiet hours (in/out).
// Cells: mention, all, direct, message, keyword, reaction = notify (kind/reason below); hold:X = X held by
// quiet hours; x:… = ignored for that reason; withdraw = take back the notification.
const SPEC = `
M O R mute quiet | own    mention      all      1on1        room             keyword      edit   delete   react+        react-            react-other
- - - off  out   | x:own  mention      all      direct      message          keyword      x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- - - off  in    | x:own  hold:mention hold:all hold:direct hold:message     hold:keyword x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- - - on   out   | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- - - on   in    | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- - - exp  out   | x:own  mention      all      direct      message          keyword      x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- - - exp  in    | x:own  hold:mention hold:all hold:direct hold:message     hold:keyword x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- - R off  out   | x:own  mention      all      direct      message          keyword      x:edit withdraw reaction        x:no-new        x:not-mine
- - R off  in    | x:own  hold:mention hold:all hold:direct hold:message     hold:keyword x:edit withdraw hold:reaction   x:no-new        x:not-mine
- - R on   out   | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- - R on   in    | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- - R exp  out   | x:own  mention      all      direct      message          keyword      x:edit withdraw reaction        x:no-new        x:not-mine
- - R exp  in    | x:own  hold:mention hold:all hold:direct hold:message     hold:keyword x:edit withdraw hold:reaction   x:no-new        x:not-mine
- O - off  out   | x:own  mention      all      direct      x:mentions-only  keyword      x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- O - off  in    | x:own  hold:mention hold:all hold:direct x:mentions-only  hold:keyword x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- O - on   out   | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- O - on   in    | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- O - exp  out   | x:own  mention      all      direct      x:mentions-only  keyword      x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- O - exp  in    | x:own  hold:mention hold:all hold:direct x:mentions-only  hold:keyword x:edit withdraw x:reactions-off x:reactions-off x:not-mine
- O R off  out   | x:own  mention      all      direct      x:mentions-only  keyword      x:edit withdraw reaction        x:no-new        x:not-mine
- O R off  in    | x:own  hold:mention hold:all hold:direct x:mentions-only  hold:keyword x:edit withdraw hold:reaction   x:no-new        x:not-mine
- O R on   out   | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- O R on   in    | x:own  x:chat       x:chat   x:chat      x:chat           x:chat       x:edit withdraw x:chat          x:chat          x:chat
- O R exp  out   | x:own  mention      all      direct      x:mentions-only  keyword      x:edit withdraw reaction        x:no-new        x:not-mine
- O R exp  in    | x:own  hold:mention hold:all hold:direct x:mentions-only  hold:keyword x:edit withdraw hold:reaction   x:no-new        x:not-mine
M - - off  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - - off  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - - on   out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - - on   in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - - exp  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - - exp  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R off  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R off  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R on   out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R on   in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R exp  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M - R exp  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - off  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - off  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - on   out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - on   in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - exp  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O - exp  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R off  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R off  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R on   out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R on   in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R exp  out   | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
M O R exp  in    | x:own  x:muted      x:muted  x:muted     x:muted          x:muted      x:edit withdraw x:muted         x:muted         x:muted
`;

const NOTIFY: Record<string, Omit<Extract<Decision, { action: 'notify' }>, 'action'>> = {
  mention: { kind: 'mention', reason: 'mention' },
  all: { kind: 'mention', reason: 'notify-all' },
  direct: { kind: 'direct', reason: 'direct' },
  message: { kind: 'message', reason: 'room-message' },
  keyword: { kind: 'message', reason: 'keyword' },
  reaction: { kind: 'reaction', reason: 'reaction' },
};
const IGNORE: Record<string, string> = {
  'x:own': 'own-message',
  'x:edit': 'edit',
  'x:muted': 'server-muted',
  'x:chat': 'chat-muted',
  'x:mentions-only': 'mentions-only',
  'x:not-mine': 'not-my-message',
  'x:reactions-off': 'reactions-off',
  'x:no-new': 'no-new-reaction',
};

function expected(cell: string): Decision {
  if (cell === 'withdraw') return { action: 'withdraw', chatId: 'room-1', messageId: 'e-delete' };
  if (cell.startsWith('hold:')) {
    const notify = NOTIFY[cell.slice(5)];
    if (!notify) throw new Error(`bad cell ${cell}`);
    return { action: 'hold', ...notify, heldBy: 'quiet-hours' };
  }
  if (cell in IGNORE) return { action: 'ignore', reason: IGNORE[cell] } as Decision;
  const notify = NOTIFY[cell];
  if (!notify) throw new Error(`bad cell ${cell}`);
  return { action: 'notify', ...notify };
}

const NOON = Date.UTC(2025, 0, 6, 12, 0); // outside 22:00–07:00 (UTC clock below)
const LATE = Date.UTC(2025, 0, 6, 23, 30); // inside

const [header = '', ...rows] = SPEC.trim().split('\n');
const columns = header.split('|')[1]?.trim().split(/\s+/) ?? [];

describe('decision specification table', () => {
  it('covers every combination of settings and every event kind', () => {
    expect(rows).toHaveLength(2 * 2 * 2 * 3 * 2);
    expect(new Set(rows.map((row) => row.split('|')[0]?.trim().replace(/\s+/g, ' '))).size).toBe(rows.length);
    expect(columns).toEqual(Object.keys(EVENTS));
  });

  for (const row of rows) {
    const [settings = '', outcomes = ''] = row.split('|');
    const [muted, mentionsOnly, reactions, mute, quiet] = settings.trim().split(/\s+/);
    const cells = outcomes.trim().split(/\s+/);
    const now = quiet === 'in' ? LATE : NOON;
    const until = mute === 'exp' ? now - 1 : mute === 'on' ? now + 60_000 : undefined;
    const app: AppRules = {
      keywords: ['deploy'],
      quietHours: { start: '22:00', end: '07:00' },
      chatMutes: mute === 'off' ? {} : { 'room-1': { until }, 'u-bob': { until } },
    };
    const server = {
      muted: muted === 'M',
      mentionsOnly: mentionsOnly === 'O',
      notifyOnReactions: reactions === 'R',
    };

    columns.forEach((column, index) => {
      const cell = cells[index] ?? 'missing';
      it(`${settings.trim().replace(/\s+/g, ' ')} × ${column} → ${cell}`, () => {
        const event = EVENTS[column];
        if (!event) throw new Error(`no event ${column}`);
        const decision = decide(event, { me: { id: ME }, server, app, now, localTime: fixedOffsetClock(0) });
        expect(decision).toEqual(expected(cell));
      });
    });
  }
});
