// The whole engine against the simulator over real sockets: what the user is told, once, whatever
// the network and the app's restarts do, and what the user sends, once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';
import { failingSocket } from './watch/harness.ts';

let sim: Simulator;
const runs: EngineRun[] = [];
const tokensSeen = new Set<string>();

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, quiet: true, heartbeatIntervalMs: 5000 });
});
afterEach(async () => {
  for (const run of runs.splice(0)) {
    await collectTokens(run);
    await run.stop().catch(() => {});
  }
});
afterAll(() => sim.close());

async function start(opts: Parameters<typeof runEngine>[1] = {}): Promise<EngineRun> {
  const run = await runEngine(sim, opts);
  runs.push(run);
  return run;
}

async function collectTokens(run: EngineRun): Promise<void> {
  for (const account of ['tokens:' + sim.url + ':gct-engine-test']) {
    const raw = await run.secrets.get(account);
    if (!raw) continue;
    const t = JSON.parse(raw) as { accessToken: string; refreshToken?: string };
    tokensSeen.add(t.accessToken);
    if (t.refreshToken) tokensSeen.add(t.refreshToken);
  }
  // Everything the run wrote to disk and to its log must be free of every token seen so far.
  const files = readdirSync(run.dir).map((f) => readFileSync(join(run.dir, f), 'utf8'));
  for (const token of tokensSeen) {
    for (const text of [...files, ...run.logs]) expect(text.includes(token)).toBe(false);
  }
}

const colleague = (): { id: string; email: string } => sim.users.find((u) => u.id !== sim.demoUser.id)!;
/** Rooms both the demo user and the colleague are in. */
function demoRooms(): { id: string; jid: string; name: string }[] {
  return sim.control
    .chats(sim.demoUser.id)
    .filter(
      (c) =>
        c.kind === 'room' &&
        c.participants.includes(sim.demoUser.id) &&
        c.participants.includes(colleague().id),
    )
    .map((c) => ({ id: c.id, jid: c.jid!, name: c.name }));
}
/** Push is up and the first catch-up is done (before it, the first run treats everything as history). */
const pushing = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('engine: notifications', () => {
  it('a mention by another user is notified exactly once, within a second, by push', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const room = demoRooms()[0]!;
    const t0 = Date.now();
    const m = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'Alex, can you check?',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(m.id)), 1000, 'the mention');
    expect(Date.now() - t0).toBeLessThan(1000);
    await sleep(300);
    const about = run.shown.filter((n) => n.messageIds.includes(m.id));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatchObject({ kind: 'mention', chatId: room.jid, body: 'Alex, can you check?' });
    expect(about[0]!.title).toContain(room.name);
    expect(run.engine.state.get().unreadForMe).toBe(true);
  });

  it('with push broken, a mention arrives within one poll interval', async () => {
    const run = await start({
      webSocketImpl: failingSocket({ count: 0 }),
      timings: { pollBaseMs: 500, pollFastMs: 500, pollFloorMs: 500 },
    });
    await run.until(
      (r) => r.engine.state.get().connection === 'polling' && r.engine.state.get().lastSyncAt !== null,
      8000,
      'polling',
    );
    const room = demoRooms()[1]!;
    const t0 = Date.now();
    const m = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'polled mention',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(m.id)), 2000, 'the polled mention');
    expect(Date.now() - t0).toBeLessThan(500 + 700);
    await sleep(800);
    expect(run.shown.filter((n) => n.messageIds.includes(m.id))).toHaveLength(1);
  });

  it("a direct message notifies; the user's own messages and edits never do; a delete withdraws", async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const dm = sim.control.post({ as: colleague().email, toUser: sim.demoUser.id, body: 'got a minute?' });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(dm.id)), 2000, 'the DM');
    expect(run.shown.find((n) => n.messageIds.includes(dm.id))).toMatchObject({
      kind: 'direct',
      chatId: colleague().id,
    });

    const room = demoRooms()[0]!;
    const own = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'my own words' });
    const ask = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'Alex?',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(ask.id)), 2000, 'the mention');
    sim.control.edit({
      as: colleague().email,
      messageId: ask.id,
      body: 'Alex? (edited)',
      mentions: [sim.demoUser.id],
    });
    sim.control.delete({ as: colleague().email, messageId: ask.id });
    await run.until((r) => r.withdrawn.includes(ask.id), 2000, 'the withdrawal');
    await sleep(200);
    expect(run.shown.some((n) => n.messageIds.includes(own.id))).toBe(false);
    expect(run.shown.filter((n) => n.messageIds.includes(ask.id))).toHaveLength(1);
    expect(
      run.engine.state
        .get()
        .inbox.flatMap((c) => c.items)
        .some((i) => i.messageId === ask.id),
    ).toBe(false);
  });

  it('follows the server settings: muted says nothing, mentionsOnly keeps only mentions', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    await run.until((r) => r.engine.state.get().settings.value !== null, 2000, 'settings');
    const room = demoRooms()[0]!;

    await run.engine.updateServerSettings({ mentionsOnly: true });
    const plain = sim.control.post({ as: colleague().email, room: room.jid, body: 'lunch anyone?' });
    const mention = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'Alex?',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(mention.id)), 2000, 'the mention');
    expect(run.shown.some((n) => n.messageIds.includes(plain.id))).toBe(false);

    await run.engine.updateServerSettings({ muted: true, mentionsOnly: false });
    const muted = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'Alex!!',
      mentions: [sim.demoUser.id],
    });
    await sleep(500);
    expect(run.shown.some((n) => n.messageIds.includes(muted.id))).toBe(false);
    await run.engine.updateServerSettings({ muted: false });
  });

  it("a reaction by someone else to the user's message notifies once", async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const room = demoRooms()[0]!;
    const mine = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'shipped the fix' });
    await sleep(100);
    sim.control.react({ as: colleague().email, messageId: mine.id, reactions: ['🎉'] });
    await run.until(
      (r) => r.shown.some((n) => n.kind === 'reaction' && n.messageId === mine.id),
      2000,
      'the reaction',
    );
    sim.control.react({ as: colleague().email, messageId: mine.id, reactions: ['🎉'] }); // same again: no news
    await sleep(300);
    expect(run.shown.filter((n) => n.kind === 'reaction' && n.messageId === mine.id)).toHaveLength(1);
  });
});

describe("engine: the app's own rules and settings sync", () => {
  it('do-not-disturb holds notifications and summarises them when it ends; a chat mute silences one chat', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const [room, other] = demoRooms();
    run.engine.updatePrefs({ dnd: true });
    const held = sim.control.post({
      as: colleague().email,
      room: room!.jid,
      body: 'while on DND',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.engine.state.get().held === 1, 2000, 'held');
    expect(run.shown.some((n) => n.messageIds.includes(held.id))).toBe(false);
    run.engine.updatePrefs({ dnd: false });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(held.id)), 2000, 'the summary');
    const summary = run.shown.find((n) => n.messageIds.includes(held.id))!;
    expect(summary).toMatchObject({ kind: 'digest', chatId: room!.jid });
    expect(summary.body).toMatch(/While you were away: 1 new message/);

    run.engine.updatePrefs({ chatMutes: { [other!.jid]: {} } });
    const muted = sim.control.post({
      as: colleague().email,
      room: other!.jid,
      body: 'in a muted room',
      mentions: [sim.demoUser.id],
    });
    const loud = sim.control.post({
      as: colleague().email,
      room: room!.jid,
      body: 'in a loud room',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(loud.id)), 2000, 'the loud one');
    await sleep(200);
    expect(run.shown.some((n) => n.messageIds.includes(muted.id))).toBe(false);
    run.engine.updatePrefs({ chatMutes: {} });
  });

  it('a settings change that the server refuses is rolled back with an error', async () => {
    const run = await start();
    await run.until((r) => r.engine.state.get().settings.value !== null, 5000, 'settings');
    const before = run.engine.state.get().settings.value!;
    sim.control.failNext(20, 503);
    try {
      await expect(run.engine.updateServerSettings({ mentionsOnly: !before.mentionsOnly })).rejects.toThrow(
        /not saved/,
      );
    } finally {
      sim.control.resetFaults();
    }
    expect(run.engine.state.get().settings).toMatchObject({ value: before, sync: 'error' });
    const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
      headers: { Authorization: `Bearer ${sim.control.actAs(sim.demoUser.id).accessToken}` },
    });
    expect(((await res.json()) as { mentionsOnly?: boolean }).mentionsOnly ?? false).toBe(
      before.mentionsOnly,
    );
  });
});

describe('engine: gaps and restarts', () => {
  it('a restart neither repeats nor misses: what came while it was down is caught up once', async () => {
    const first = await start();
    await first.until(pushing, 5000, 'push');
    const room = demoRooms()[0]!;
    const before = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'before',
      mentions: [sim.demoUser.id],
    });
    await first.until((r) => r.shown.some((n) => n.messageIds.includes(before.id)), 2000, 'before');
    await first.stop();
    runs.splice(runs.indexOf(first), 1);

    const during = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'during',
      mentions: [sim.demoUser.id],
    });
    const second = await start({ dir: first.dir, secrets: first.secrets });
    await second.until((r) => r.shown.some((n) => n.messageIds.includes(during.id)), 5000, 'during');
    await second.until(pushing, 5000, 'push');
    const after = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'after',
      mentions: [sim.demoUser.id],
    });
    await second.until((r) => r.shown.some((n) => n.messageIds.includes(after.id)), 2000, 'after');
    await sleep(300);
    expect(second.shown.some((n) => n.messageIds.includes(before.id))).toBe(false);
    expect(second.shown.filter((n) => n.messageIds.includes(during.id))).toHaveLength(1);
    expect(second.shown.filter((n) => n.messageIds.includes(after.id))).toHaveLength(1);
  });

  it('reconnects after the socket drops and backfills what was missed, once', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const room = demoRooms()[0]!;
    sim.control.dropSockets();
    const missed = sim.control.post({
      as: colleague().email,
      room: room.jid,
      body: 'while you were gone',
      mentions: [sim.demoUser.id],
    });
    await run.until((r) => r.shown.some((n) => n.messageIds.includes(missed.id)), 5000, 'the missed mention');
    await run.until(pushing, 5000, 'push again');
    await sleep(300);
    expect(run.shown.filter((n) => n.messageIds.includes(missed.id))).toHaveLength(1);
  });

  it('1000 messages across 50 chats during a sleep become one digest per chat with the right counts', async () => {
    // 50 rooms with the demo user, created by a colleague.
    const { accessToken } = sim.control.actAs(colleague().email);
    const jids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${sim.url}/api/v2/chats/rooms`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: `Sleep room ${i}`, userIds: [sim.demoUser.id] }),
      });
      jids.push(((await res.json()) as { jid: string }).jid);
    }
    const first = await start();
    await first.until(pushing, 5000, 'push');
    await first.until((r) => jids.every((j) => r.engine.chat(j)), 5000, 'the new rooms in the roster');
    await first.stop();
    runs.splice(runs.indexOf(first), 1);

    const posted = new Map<string, string[]>();
    for (let n = 0; n < 20; n++) {
      for (const jid of jids) {
        const m = sim.control.post({ as: colleague().email, room: jid, body: `backlog ${n}` });
        posted.set(jid, [...(posted.get(jid) ?? []), m.id]);
      }
    }
    const second = await start({ dir: first.dir, secrets: first.secrets });
    await second.until((r) => r.shown.filter((n) => n.kind === 'digest').length >= 50, 20_000, '50 digests');
    await sleep(500);
    const digests = second.shown.filter((n) => jids.includes(n.chatId));
    expect(digests).toHaveLength(50);
    for (const d of digests) {
      expect(d.kind).toBe('digest');
      expect([...d.messageIds].sort()).toEqual([...posted.get(d.chatId)!].sort());
      expect(d.body).toContain('20 new messages');
    }
  }, 40_000);
});

describe('engine: sign-in trouble', () => {
  it('a revoked session leads to "sign in again", not a request loop', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    sim.control.revokeTokens(sim.demoUser.id);
    await run.until((r) => r.engine.state.get().connection === 'needs-sign-in', 8000, 'needs-sign-in');
    sim.control.clearRequests();
    await sleep(1500);
    expect(sim.control.requests().entries.length).toBeLessThan(5);
    await run.engine.signIn();
    await run.until(pushing, 5000, 'push after signing in again');
  });

  it('signing out ends the session at Genesys: the token is revoked and refused afterwards', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const raw = await run.secrets.get(`tokens:${sim.url}:gct-engine-test`);
    const token = (JSON.parse(raw!) as { accessToken: string }).accessToken;
    sim.control.clearRequests();
    await run.engine.signOut();
    expect(await run.secrets.get(`tokens:${sim.url}:gct-engine-test`)).toBeNull();
    const revoke = sim.control.requests().entries.filter((e) => e.path === '/api/v2/tokens/me');
    expect(revoke.map((e) => [e.method, e.status])).toEqual([['DELETE', 204]]);
    const after = await fetch(`${sim.url}/api/v2/users/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);
    expect(run.logs.some((l) => l.includes('revoke failed'))).toBe(false);
  });
});

describe('engine: actions', () => {
  it('a quick reply in a thread with a mention lands exactly once', async () => {
    const run = await start();
    await run.until(pushing, 5000, 'push');
    const room = demoRooms()[0]!;
    const root = sim.control.post({ as: colleague().email, room: room.jid, body: 'thread root' });
    await run.until((r) => !!r.engine.chat(room.jid), 3000, 'roster');
    const item = await run.engine.act({
      kind: 'reply',
      chat: run.engine.chat(room.jid)!,
      text: 'on it',
      threadId: root.id,
      mentions: [colleague().id],
    });
    const done = await run.engine.settled(item.id);
    expect(done?.state).toBe('sent');
    const msg = sim.control.message(done!.messageId!);
    expect(msg).toMatchObject({ body: 'on it', parentThread: { id: root.id } });
    const copies = sim.control.chats(sim.demoUser.id).find((c) => c.jid === room.jid)!.messageCount;
    await sleep(300);
    expect(sim.control.chats(sim.demoUser.id).find((c) => c.jid === room.jid)!.messageCount).toBe(copies);
  });
});
