// The watcher never drops a surprise in silence: unreadable frames are counted by kind, an
// unreadable event on a subscribed room is recovered over REST by two separate paths (a read of
// that room shortly after, and the room's badges until its events read again), lost subscriptions
// are gaps, and a 1on1 badge naming the user's own jid still finds its chat.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WireStats } from '../../../src/main/genesys/wire-stats.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, sleep, SocketTap, watchReady, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 22, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
  sim.control.resetFaults();
});
afterAll(() => sim.close());

const isBadge = (data: unknown): boolean => String(data).includes('.badges.chats');
const historyReads = (): number =>
  sim.control.requests().counters.byRoute['GET /api/v2/chats/rooms/:roomJid/messages'] ?? 0;

describe('surprises on the push path', () => {
  it('reads a room over REST after an unreadable event on its topic, even with no badge', async () => {
    const tap = new SocketTap();
    tap.drop = isBadge;
    const wire = new WireStats();
    h = await watchReady(sim, { WebSocketImpl: tap.Impl, wireStats: wire });
    const { room, colleague } = colleagueIn(sim, 'Support Team');
    sim.control.manglePush({ count: 1, shape: 'unknown' });
    const posted = sim.control.post({ as: colleague, room, body: 'can you read me?' });
    const batch = await h.until(() => h!.batchesFor(posted.id)[0], 'the recovered message', 2_000);
    expect(batch.source).toBe('backfill');
    expect(h.fresh.map((m) => m.id)).toEqual([posted.id]);
    expect(wire.snapshot().map((s) => s.kind)).toEqual(['push chat event: messageId invalid_type']);
    expect(h.watcher.diagnostics().push.chatsRecovered).toBe(1);
  });

  it('keeps later pushed events behind the recovery read, even when that read fails for a while', async () => {
    // History reads of the room fail for 3 s (a flaky network): a readable event pushed meanwhile must
    // not reach the engine before the unreadable one's message, or the ledger would skip that one.
    const { room, jid, colleague } = colleagueIn(sim, 'Announcements');
    let failUntil = 0;
    const flakyFetch: typeof fetch = async (input, init) => {
      const url = String(input);
      if (Date.now() < failUntil && url.includes(`/rooms/${encodeURIComponent(jid)}/messages`))
        return new Response('{"message":"unavailable","code":"service.unavailable","status":503}', {
          status: 503,
          headers: { 'content-type': 'application/json' },
        });
      return fetch(input, init);
    };
    h = await watchReady(sim, { fetch: flakyFetch });
    failUntil = Date.now() + 3_000;
    sim.control.manglePush({ count: 1, shape: 'unknown' });
    const unreadable = sim.control.post({ as: colleague, room, body: 'sent in a shape nobody knows' });
    await sleep(2_300);
    const readable = sim.control.post({ as: colleague, room, body: 'sent as usual' });
    await h.until(() => h!.fresh.length === 2, 'both messages', 6_000);
    expect(h.fresh.map((m) => m.id)).toEqual([unreadable.id, readable.id]);
  });

  it('reads a room on its badges while its events cannot be read', async () => {
    h = await watchReady(sim, { timings: { surpriseReadMs: 60_000 } });
    const { room, colleague } = colleagueIn(sim, 'Engineering');
    sim.control.manglePush({ count: 1, shape: 'legacy' });
    const first = sim.control.post({ as: colleague, room, body: 'old shape' });
    // No recovery read for a minute: only the badge can bring it.
    const batch = await h.until(() => h!.batchesFor(first.id)[0], 'the message, by its badge', 2_000);
    expect(batch.source).toBe('backfill');
    expect(h.fresh.map((m) => m.id)).toEqual([first.id]);
  });

  it('once a room’s events read again, they are pushed and its badges cost nothing', async () => {
    h = await watchReady(sim);
    const { room, colleague } = colleagueIn(sim, 'Engineering');
    const syncs = h.synced.length;
    sim.control.manglePush({ count: 1, shape: 'legacy' });
    const first = sim.control.post({ as: colleague, room, body: 'old shape' });
    await h.until(() => h!.batchesFor(first.id)[0], 'the recovered message', 2_000);
    // Pushed events wait behind the recovery read (a sync): once it is done they flow again.
    await h.until(() => h!.synced.length > syncs, 'the recovery read done', 2_000);
    const second = sim.control.post({ as: colleague, room, body: 'official shape again' });
    await h.until(() => h!.batchesFor(second.id)[0], 'the next message, pushed');
    expect(h.batchesFor(second.id)[0]!.source).toBe('push');
    await sleep(200);
    const reads = historyReads();
    const third = sim.control.post({ as: colleague, room, body: 'and again' });
    await h.until(() => h!.batchesFor(third.id)[0], 'the third message');
    await sleep(300);
    expect(historyReads()).toBe(reads);
    expect(h.fresh.map((m) => m.id)).toEqual([first.id, second.id, third.id]);
  });

  it('counts frames of unknown topic families and unreadable badges, by kind without ids', async () => {
    const tap = new SocketTap();
    const wire = new WireStats();
    h = await watchReady(sim, { WebSocketImpl: tap.Impl, wireStats: wire });
    const me = sim.demoUser.id;
    tap.inject(JSON.stringify({ topicName: `v2.users.${me}.conversations`, eventBody: { id: 'c-1' } }));
    tap.inject(JSON.stringify({ topicName: `v2.users.${me}.conversations`, eventBody: { id: 'c-2' } }));
    tap.inject(JSON.stringify({ topicName: `v2.users.${me}.badges.chats`, eventBody: { entity: {} } }));
    tap.inject(JSON.stringify({ result: '500' }));
    await h.until(() => wire.total() === 4, 'four surprises');
    expect(wire.snapshot().map((s) => [s.kind, s.count])).toEqual([
      ['push: a topic of an unknown family (v2.users.{id}.conversations)', 2],
      ['push badge: entity.jabberId invalid_type', 1],
      ['push frame: a result other than 404', 1],
    ]);
    expect(JSON.stringify(wire.snapshot())).not.toContain(me);
    expect(h.watcher.state).toBe('push');
  });

  it('treats no_longer_subscribed as a gap: subscribes again and backfills what came meanwhile', async () => {
    h = await watchReady(sim);
    const { room, colleague } = colleagueIn(sim, 'Watercooler');
    const channelId = h.watcher.channelId!;
    const topics = sim.control.channels().find((c) => c.id === channelId)!.topics.length;
    expect(sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: sim.demoUser.id })).toBe(1);
    const meanwhile = sim.control.post({ as: colleague, room, body: 'while unsubscribed' });
    await h.until(() => h!.batchesFor(meanwhile.id)[0], 'the message posted while unsubscribed', 2_000);
    await h.until(
      () => sim.control.channels().find((c) => c.id === channelId)?.topics.length === topics,
      'the topics back',
    );
    const after = sim.control.post({ as: colleague, room, body: 'subscribed again' });
    await h.until(() => h!.batchesFor(after.id)[0], 'a pushed message after it');
    expect(h.watcher.diagnostics().push.systemNotices).toEqual({ no_longer_subscribed: 1 });
    expect(h.fresh.map((m) => m.id)).toEqual([meanwhile.id, after.id]);
  });

  it('counts a lost subscription as a gap until it is restored, so nothing missed meanwhile is skipped', async () => {
    // The forced re-subscription after the notice is slow (a flaky network): the sync started by the
    // notice finishes before messages posted meanwhile are in its roster read. A message pushed
    // right after the subscription is back must not overtake them (the ledger would then skip them).
    let slowPut = false;
    const slowFetch: typeof fetch = async (input, init) => {
      if (slowPut && init?.method === 'PUT' && String(input).includes('/subscriptions')) {
        slowPut = false;
        await sleep(2_500);
      }
      return fetch(input, init);
    };
    h = await watchReady(sim, { fetch: slowFetch });
    const { room, colleague } = colleagueIn(sim, 'Support Team');
    slowPut = true;
    sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: sim.demoUser.id });
    await sleep(200);
    const missed = sim.control.post({ as: colleague, room, body: 'while the topics were gone' });
    const channelId = h.watcher.channelId!;
    await h.until(
      () => (sim.control.channels().find((c) => c.id === channelId)?.topics.length ?? 0) > 0,
      'the topics back',
      5_000,
    );
    await sleep(300);
    const pushed = sim.control.post({ as: colleague, room, body: 'right after they came back' });
    await h.until(() => h!.batchesFor(pushed.id)[0], 'the message after the subscription came back', 3_000);
    h.watcher.resync('manual');
    await sleep(500);
    expect(h.fresh.map((m) => m.id)).toEqual([missed.id, pushed.id]);
  });

  it("finds a 1on1 from a badge that names the user's own jid (either side's jid is accepted)", async () => {
    const tap = new SocketTap();
    tap.drop = isBadge;
    h = await watchReady(sim, { WebSocketImpl: tap.Impl });
    const direct = (await h.api.roster()).find((e) => e.chat.kind === 'oneOnOne' && e.open)!;
    const ownBadge = JSON.stringify({
      topicName: `v2.users.${sim.demoUser.id}.badges.chats`,
      eventBody: { entity: { jabberId: h.me.jid }, unreadCount: 1 },
    });
    // Twice in a row: a badge naming the user's own jid is no unknown chat to pause on.
    for (const text of ['ping me back', 'and again']) {
      const posted = sim.control.post({ as: direct.chat.id, toUser: sim.demoUser.id, body: text });
      await sleep(300);
      expect(h.batchesFor(posted.id)).toEqual([]); // its real badge was dropped
      tap.inject(ownBadge);
      const batch = await h.until(() => h!.batchesFor(posted.id)[0], `the 1on1 message "${text}"`);
      expect(batch.chat).toMatchObject({ id: direct.chat.id, kind: 'oneOnOne' });
    }
  });
});
