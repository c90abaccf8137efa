// The randomized fault suite, short run: a few seeded schedules of faults (dropped sockets, deleted
// channels, socket_closing, expired and revoked tokens, 5xx bursts, 429 storms, latency, clock jumps,
// engine restarts, room events in shapes the client cannot read, lost subscriptions) while scripted
// colleagues post, mention, react, edit and delete and the user replies, reacts and pins; customers
// write through the inbound Open Messaging API, and the user accepts, declines or lets offers time
// out, replies, ends and wraps up. After the faults are lifted and the engine has settled, every
// invariant of invariants.ts (and customer-invariants.ts) must hold. `npm run soak` runs the same
// schedules for as long as you like.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRound } from './invariants.ts';
import { runRound } from './runner.ts';
import { describeSchedule, FAULT_KINDS, generateSchedule, type Schedule } from './schedule.ts';

/**
 * Chosen so that together they inject every fault kind, restart the engine, and cover mentions-only,
 * reactions off, a muted room and keywords (checked below, so a change of the generator shows).
 */
const SEEDS = [12, 16, 263, 264];

describe('fault suite: the seeds', () => {
  it('cover every fault kind and the settings that change what notifies', () => {
    const schedules = SEEDS.map((seed) => generateSchedule(seed, 'short'));
    const kinds = new Set(
      schedules.flatMap((s) =>
        s.steps.flatMap((st) => (st.action.type === 'fault' ? [st.action.fault.kind] : [])),
      ),
    );
    expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort());
    expect(schedules.some((s) => s.settings.mentionsOnly)).toBe(true);
    expect(schedules.some((s) => !s.settings.notifyOnReactions)).toBe(true);
    expect(schedules.some((s) => s.settings.mutedRoom !== null)).toBe(true);
    expect(schedules.some((s) => s.settings.keywords.length > 0)).toBe(true);
    expect(schedules.every((s) => s.steps.some((st) => st.action.type === 'react-to-user'))).toBe(true);
  });

  it('bring customers to every round, and every customer action of the user', () => {
    const schedules = SEEDS.map((seed) => generateSchedule(seed, 'short'));
    const types = (s: Schedule): Set<string> => new Set(s.steps.map((st) => st.action.type));
    for (const s of schedules) {
      // Every round: customers write, and offers are accepted, declined and left to time out; the
      // first accepted customer is answered, ended and wrapped up.
      for (const type of [
        'customer-write',
        'offer-accept',
        'offer-decline',
        'offer-timeout',
        'customer-reply',
        'customer-end',
        'customer-wrapup',
      ])
        expect(types(s)).toContain(type);
    }
    const all = schedules.flatMap((s) => s.steps.map((st) => st.action));
    // Receipts (status only), offers timed out both after and before the user could see them.
    expect(all.some((a) => a.type === 'customer-receipt' && a.status === 'Delivered')).toBe(true);
    expect(all.some((a) => a.type === 'customer-receipt' && a.status === 'Read')).toBe(true);
    expect(all.some((a) => a.type === 'offer-timeout' && a.seen)).toBe(true);
    expect(all.some((a) => a.type === 'offer-timeout' && !a.seen)).toBe(true);
    // A customer writes while the engine is down for a restart.
    expect(
      schedules.some((s) => {
        const restarts = s.steps.flatMap((st) =>
          st.action.type === 'fault' && st.action.fault.kind === 'restart'
            ? [[st.at, st.at + st.action.fault.downMs]]
            : [],
        );
        return s.steps.some(
          (st) => st.action.type === 'customer-write' && restarts.some(([a, b]) => st.at > a! && st.at < b!),
        );
      }),
    ).toBe(true);
  });
});

describe.concurrent('fault suite: short run', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: exactly-once notifications and actions, nothing forbidden, within budget`, async () => {
      const schedule = generateSchedule(seed, 'short');
      const result = await runRound(schedule, { settleMs: 40_000 });
      const report = checkRound(result.observation);
      if (report.failures.length > 0) {
        const file = join(tmpdir(), `gct-faults-${seed}.log`);
        writeFileSync(
          file,
          [describeSchedule(schedule), '', ...report.failures, '', ...result.engineLog].join('\n'),
        );
        console.error(`fault suite seed ${seed} failed; schedule, failures and engine log in ${file}`);
      }
      expect(report.failures).toEqual([]);
      // The round really exercised something.
      expect(report.counts.notifiable).toBeGreaterThan(2);
      expect(report.counts.notified).toBe(report.counts.notifiable);
      expect(report.counts.actionsApplied).toBe(report.counts.actionsQueued);
      expect(report.counts.actionsQueued).toBeGreaterThan(3);
      // Customers came, offers were told, the user's customer actions all landed once.
      expect(report.counts.offersNotified).toBeGreaterThanOrEqual(2);
      expect(report.counts.customerNotifiable).toBeGreaterThan(0);
      expect(report.counts.customerNotified).toBe(report.counts.customerNotifiable);
      expect(report.counts.customerActions).toBeGreaterThan(3);
      expect(report.counts.customerActionsApplied).toBe(report.counts.customerActions);
      expect(result.observation.customers?.quiet).toBeDefined();
      expect(Object.values(result.faults).reduce((a, b) => a + b, 0)).toBe(5);
    }, 90_000);
  }
});

describe('fault suite: behind a company proxy', () => {
  // Every connection through tinyproxy with Basic authentication (`npm run soak -- --via-proxy`
  // runs every schedule this way).
  it(`seed ${SEEDS[0]} through a real proxy: the same invariants, every connection tunnelled`, async () => {
    const schedule = generateSchedule(SEEDS[0]!, 'short');
    const result = await runRound(schedule, { settleMs: 40_000, viaProxy: true });
    const report = checkRound(result.observation);
    if (report.failures.length > 0) {
      const file = join(tmpdir(), `gct-faults-proxy-${SEEDS[0]}.log`);
      writeFileSync(
        file,
        [describeSchedule(schedule), '', ...report.failures, '', ...result.engineLog].join('\n'),
      );
      console.error(`fault suite through the proxy failed; details in ${file}`);
    }
    expect(report.failures).toEqual([]);
    expect(report.counts.notified).toBe(report.counts.notifiable);
    expect(report.counts.actionsApplied).toBe(report.counts.actionsQueued);
    // Sign-in, REST and the notification socket all went through the proxy (restarts reconnect).
    expect(result.proxyTunnels).toBeGreaterThan(2);
  }, 120_000);
});
