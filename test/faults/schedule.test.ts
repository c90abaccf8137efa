// The schedule generator: pure and deterministic per seed, and keeping the rules the invariants
// rely on (see EXCLUSIONS in invariants.ts).
import { describe, expect, it } from 'vitest';
import { generateSchedule, roundSeed, type Action, type Schedule } from './schedule.ts';

const of = <T extends Action['type']>(
  s: Schedule,
  type: T,
): (Extract<Action, { type: T }> & { at: number })[] =>
  s.steps.flatMap((st) =>
    st.action.type === type ? [{ ...(st.action as Extract<Action, { type: T }>), at: st.at }] : [],
  );

describe('fault schedule', () => {
  it('is the same for the same seed and differs between seeds', () => {
    expect(generateSchedule(5, 'soak')).toEqual(generateSchedule(5, 'soak'));
    expect(generateSchedule(5)).toEqual(generateSchedule(5));
    expect(generateSchedule(5)).not.toEqual(generateSchedule(6));
    expect(roundSeed(42, 0)).toBe(42);
    const seeds = Array.from({ length: 50 }, (_, i) => roundSeed(42, i));
    expect(new Set(seeds).size).toBe(50);
    expect(seeds).toEqual(Array.from({ length: 50 }, (_, i) => roundSeed(42, i)));
  });

  for (const profile of ['short', 'soak'] as const) {
    it(`keeps its rules (${profile})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const s = generateSchedule(seed, profile);
        const times = s.steps.map((st) => st.at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times.every((t) => t >= 0 && t <= s.durationMs)).toBe(true);
        const posts = new Map(of(s, 'post').map((p) => [p.id, p]));
        // Each post is the target of at most one thing: thread root, user action, edit or delete.
        const targets = [
          ...of(s, 'edit').map((a) => a.target),
          ...of(s, 'delete').map((a) => a.target),
          ...of(s, 'user-react').map((a) => a.target),
          ...of(s, 'user-pin').map((a) => a.target),
        ];
        expect(new Set(targets).size).toBe(targets.length);
        const roots = new Set([
          ...of(s, 'post').flatMap((p) => (p.threadOf ? [p.threadOf] : [])),
          ...of(s, 'reply').flatMap((r) => (r.threadOf ? [r.threadOf] : [])),
        ]);
        for (const t of targets) {
          expect(roots.has(t)).toBe(false);
          expect(posts.get(t)).toBeDefined();
        }
        for (const a of [...of(s, 'edit'), ...of(s, 'delete'), ...of(s, 'user-react'), ...of(s, 'user-pin')])
          expect(a.at).toBeGreaterThan(posts.get(a.target)!.at);
        for (const p of of(s, 'user-pin')) expect(posts.get(p.target)!.chat.kind).toBe('room');
        // Colleagues react once per reply, to room replies only, where no fault disturbs push.
        const replies = new Map(of(s, 'reply').map((r) => [r.id, r]));
        const reacted = of(s, 'react-to-user');
        expect(new Set(reacted.map((r) => r.target)).size).toBe(reacted.length);
        for (const r of reacted) {
          expect(replies.get(r.target)!.chat.kind).toBe('room');
          expect(r.at).toBeGreaterThan(replies.get(r.target)!.at);
          expect(s.disturbed.some(([from, to]) => r.at >= from && r.at <= to)).toBe(false);
        }
        // Each customer's life in order: a first message, one fate for the offer, replies and
        // the end only once accepted, a receipt after its reply, the wrap-up after the end.
        const lives = new Map<number, string[]>();
        for (const st of s.steps) {
          const a = st.action;
          if (!('customer' in a)) continue;
          lives.set(a.customer, [...(lives.get(a.customer) ?? []), a.type]);
        }
        for (const life of lives.values()) {
          expect(life[0]).toBe('customer-write');
          const fates = life.filter((t) => t.startsWith('offer-'));
          expect(fates).toHaveLength(1);
          const fate = life.indexOf(fates[0]!);
          const after = life.slice(fate + 1);
          if (fates[0] !== 'offer-accept')
            expect(new Set(after)).toEqual(new Set(after.length ? ['customer-write'] : []));
          expect(life.slice(0, fate)).toEqual(['customer-write']);
          const end = life.indexOf('customer-end');
          const wrapup = life.indexOf('customer-wrapup');
          if (wrapup >= 0) expect(end).toBeGreaterThanOrEqual(0);
          if (wrapup >= 0) expect(wrapup).toBeGreaterThan(end);
          if (end >= 0) expect(life.slice(end + 1).every((t) => t === 'customer-wrapup')).toBe(true);
        }
        const replied = new Map(of(s, 'customer-reply').map((r) => [r.id, r]));
        for (const r of of(s, 'customer-receipt')) {
          expect(replied.get(r.target)?.customer).toBe(r.customer);
          expect(r.at).toBeGreaterThan(replied.get(r.target)!.at);
        }
      }
    });
  }
});
