// The whole engine against the simulator over real sockets, with the push path in the official
// shape and in shapes it does not know: a room mention is notified once within a second, an
// unreadable event on a subscribed room still ends in exactly one notification (read over REST),
// a Rejected room topic leaves the room on the badge-and-backfill path, and the old string
// from/to guess is no longer read as an event (it is counted, and the message still arrives).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';

let sim: Simulator;
const runs: EngineRun[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 33, quiet: true, heartbeatIntervalMs: 5000 });
});
afterEach(async () => {
  for (const run of runs.splice(0)) await run.stop().catch(() => {});
  sim.control.resetFaults();
});
afterAll(() => sim.close());

async function start(dir?: string): Promise<EngineRun> {
  const run = await runEngine(sim, dir ? { dir } : {});
  runs.push(run);
  await run.until(
    (r) => r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null,
    5000,
    'push and a first catch-up',
  );
  return run;
}

/** A room of `type` that the demo user shares with a colleague. */
function roomWithColleague(type: 'group' | 'adhoc'): { id: string; jid: string; colleague: string } {
  const room = sim.control
    .chats(sim.demoUser.id)
    .find((c) => c.kind === 'room' && c.roomType === type && c.participants.length > 1)!;
  return { id: room.id, jid: room.jid!, colleague: room.participants.find((p) => p !== sim.demoUser.id)! };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the client stopped changing its subscriptions (no PUT for 300 ms). */
async function topicsSettled(): Promise<void> {
  const puts = (): number =>
    sim.control.requests().counters.byRoute['PUT /api/v2/notifications/channels/:channelId/subscriptions'] ??
    0;
  for (let last = -1, now = puts(); now !== last; last = now, now = puts()) await sleep(300);
}
const about = (run: EngineRun, id: string) => run.shown.filter((n) => n.messageIds.includes(id));

async function mention(room: { jid: string; colleague: string }, body: string) {
  return sim.control.post({ as: room.colleague, room: room.jid, body, mentions: [sim.demoUser.id] });
}

describe('push fidelity, end to end', () => {
  it('(a) a room mention in the official shape is notified exactly once within 1 s, by push', async () => {
    const run = await start();
    for (const type of ['group', 'adhoc'] as const) {
      const room = roomWithColleague(type);
      const t0 = Date.now();
      const m = await mention(room, `Alex, a ${type} question`);
      await run.until((r) => about(r, m.id).length > 0, 1000, `the ${type} mention`);
      expect(Date.now() - t0).toBeLessThan(1000);
      await sleep(400);
      expect(about(run, m.id)).toHaveLength(1);
      expect(about(run, m.id)[0]).toMatchObject({ kind: 'mention', chatId: room.jid });
    }
    // Read as pushed, not recovered: nothing about the wire surprised the client.
    expect(run.engine.wireStats.snapshot()).toEqual([]);
    expect(run.engine.diagnostics({ name: 't', version: '0' }).push.chatsRecovered).toBe(0);
  });

  it('(b) an event in an unknown shape on a subscribed room still ends in exactly one notification', async () => {
    const run = await start();
    const room = roomWithColleague('group');
    sim.control.manglePush({ count: 1, shape: 'unknown' });
    const m = await mention(room, 'Alex, does this reach you?');
    await run.until((r) => about(r, m.id).length > 0, 3000, 'the recovered mention');
    await sleep(800);
    expect(about(run, m.id)).toHaveLength(1);
    expect(about(run, m.id)[0]).toMatchObject({ kind: 'mention', chatId: room.jid });
    const surprises = run.engine.wireStats.snapshot();
    expect(surprises.map((s) => [s.kind, s.count])).toEqual([['push chat event: messageId invalid_type', 1]]);
    expect(surprises[0]!.shape).toMatchObject({ eventVersion: 'number', message: { messageId: 'string' } });
    expect(run.engine.diagnostics({ name: 't', version: '0' }).push.chatsRecovered).toBe(1);
    // The next event, readable again, is pushed as usual.
    const next = await mention(room, 'and this one?');
    await run.until((r) => about(r, next.id).length > 0, 1000, 'the next mention');
    expect(run.engine.wireStats.total()).toBe(1);
  });

  it('(c) a room whose topic is Rejected still gets its messages, through badges and backfill', async () => {
    const room = roomWithColleague('adhoc');
    sim.control.refuseTopics({ room: room.jid, reason: 'Missing permission' });
    const run = await start();
    await topicsSettled();
    const channel = sim.control.channels().find((c) => c.userId === sim.demoUser.id && c.connected)!;
    expect(channel.topics.some((t) => t.includes(room.jid))).toBe(false);
    const m = await mention(room, 'Alex, over here');
    await run.until((r) => about(r, m.id).length > 0, 3000, 'the mention in the refused room');
    await sleep(600);
    expect(about(run, m.id)).toHaveLength(1);
    const plain = sim.control.post({ as: room.colleague, room: room.jid, body: 'no mention' });
    const dm = sim.control.post({ as: room.colleague, toUser: sim.demoUser.id, body: 'and a DM' });
    await run.until((r) => about(r, dm.id).length > 0, 3000, 'the DM after it');
    await sleep(400);
    expect(about(run, m.id)).toHaveLength(1);
    expect(about(run, plain.id).length).toBeLessThanOrEqual(1);
    const topics = run.engine.diagnostics({ name: 't', version: '0' }).topics;
    expect(topics.byFamily.room).toMatchObject({ Rejected: 1 });
    expect(topics.byFamily.badge).toEqual({ Permitted: 1, Rejected: 0, Unconfirmed: 0 });
    expect(topics.rejectionReasons).toEqual([{ reason: 'Missing permission', count: 1 }]);
    expect(topics.missingPermissions).toEqual(['chat:chat:access']);
  });

  it('(d) the old string from/to shape is counted, not read; the message still arrives once', async () => {
    const run = await start();
    const room = roomWithColleague('group');
    sim.control.manglePush({ count: 1, shape: 'legacy' });
    const m = await mention(room, 'Alex, old shape');
    await run.until((r) => about(r, m.id).length > 0, 3000, 'the mention sent in the old shape');
    await sleep(600);
    expect(about(run, m.id)).toHaveLength(1);
    expect(run.engine.wireStats.snapshot().map((s) => [s.kind, s.count, s.shape])).toEqual([
      [
        'push chat event: from invalid_type',
        1,
        expect.objectContaining({ from: 'string', to: 'string', mentions: [expect.any(Object)] }),
      ],
    ]);
  });
  it('(e) a reaction to the user’s message pushed in an unknown shape is still notified, once', async () => {
    const run = await start();
    const room = roomWithColleague('group');
    const mine = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'Deploy is done' });
    await sleep(500); // its own event came by push: the watcher knows the message and its reactions
    sim.control.manglePush({ count: 1, shape: 'unknown' });
    sim.control.react({ as: room.colleague, messageId: mine.id, reactions: ['🎉'] });
    await run.until(
      (r) => r.shown.some((n) => n.kind === 'reaction' && n.messageIds.includes(mine.id)),
      3000,
      'the reaction read back over REST',
    );
    await sleep(600);
    expect(run.shown.filter((n) => n.kind === 'reaction' && n.messageIds.includes(mine.id))).toHaveLength(1);
    expect(run.engine.wireStats.total()).toBe(1);
  });
  it('(f) the user’s message and a reaction to it, both lost to unknown shapes, give one reaction notification', async () => {
    const run = await start();
    const room = roomWithColleague('group');
    sim.control.manglePush({ count: 2, shape: 'unknown' });
    const mine = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'Release notes are out' });
    sim.control.react({ as: room.colleague, messageId: mine.id, reactions: ['👀'] });
    await run.until(
      (r) => r.shown.some((n) => n.kind === 'reaction' && n.messageIds.includes(mine.id)),
      3000,
      'the reaction found with the message, read over REST',
    );
    await sleep(600);
    expect(run.shown.filter((n) => n.kind === 'reaction' && n.messageIds.includes(mine.id))).toHaveLength(1);
  });

  it('(g) a reaction told before a restart is not told again when the next engine hears of another', async () => {
    const run = await start();
    const room = roomWithColleague('group');
    const mine = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'Rollback is done' });
    await sleep(500);
    sim.control.react({ as: room.colleague, messageId: mine.id, reactions: ['🙏'] });
    const reactions = (r: EngineRun) =>
      r.shown.filter((n) => n.kind === 'reaction' && n.messageIds.includes(mine.id));
    await run.until((r) => reactions(r).length === 1, 3000, 'the first reaction');
    await run.stop();
    // The next engine knows the message only from now on: the event of a new reaction carries the
    // whole set, and the one told before the restart must not look new.
    const next = await start(run.dir);
    sim.control.react({ as: room.colleague, messageId: mine.id, reactions: ['🙏', '🚀'] });
    await next.until((r) => reactions(r).length >= 1, 3000, 'the second reaction');
    await next.engine.idle();
    await sleep(600);
    expect(reactions(next).map((n) => n.body)).toHaveLength(1);
    expect(next.engine.state.get().unread).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(reactions(next))).toContain('🚀');
    expect(JSON.stringify(reactions(next))).not.toContain('🙏');
  });
});
