// An engine that starts again (app launch, a new sign-in, the headless runner restarting) subscribes
// the room topics of the roster it kept with its FIRST subscription: a reaction made before its first
// roster read returns (which no roster date shows, so no catch-up finds it) is pushed and told once.
// The roster read is held back by a real proxy in front of the simulator, so the race is on the wire.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import type { ControlChat } from '../../src/simulator/control/control.ts';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';

let sim: Simulator;
let proxy: DelayProxy;
const runs: EngineRun[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 43, quiet: true, heartbeatIntervalMs: 5000 });
  proxy = await startDelayProxy(sim.url);
});
afterEach(async () => {
  proxy.delay(() => false, 0);
  while (runs.length)
    await runs
      .pop()!
      .stop()
      .catch(() => {});
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});

const ROSTER_HOLD_MS = 3000;
const SUBSCRIPTIONS = /^\/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pushing = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null;

async function track(run: Promise<EngineRun>): Promise<EngineRun> {
  const r = await run;
  runs.push(r);
  return r;
}

/** The demo user's group rooms that a colleague is in too, with that colleague. */
function sharedRooms(): (ControlChat & { jid: string; colleague: string })[] {
  return sim.control.chats(sim.demoUser.id).flatMap((c) => {
    const colleague = c.participants.find((p) => p !== sim.demoUser.id);
    return c.kind === 'room' && c.roomType === 'group' && c.jid && colleague
      ? [{ ...c, jid: c.jid, colleague }]
      : [];
  });
}

/** A room's message topic as the simulator serves it (`Room.id`: the group's id). */
function topicOf(room: ControlChat): string {
  return `v2.detail.events.collaboratechat.group.${room.id}.messages`;
}

/** The topics of every subscription PUT since the log was cleared, oldest first. */
function subscriptionPuts(): string[][] {
  return sim.control
    .requests()
    .entries.filter((e) => e.method === 'PUT' && SUBSCRIPTIONS.test(e.path) && e.status === 200)
    .map((e) => (Array.isArray(e.body) ? e.body.map((t: { id?: unknown }) => String(t.id)) : []));
}

function rosterReads(): number {
  return sim.control
    .requests()
    .entries.filter((e) => e.method === 'GET' && e.path === '/api/v2/users/chats/me').length;
}

/** The demo user's connected channel, once the simulator has subscribed it (the first PUT answered). */
async function liveChannel(run: EngineRun): Promise<{ id: string; topics: string[] }> {
  let found: { id: string; topics: string[] } | undefined;
  await run.until(
    () =>
      (found = sim.control
        .channels()
        .find((c) => c.userId === sim.demoUser.id && c.connected && c.topics.length > 0)) !== undefined,
    8000,
    'a subscribed channel',
  );
  return found!;
}

/** A first run through the proxy that reads the roster, sees the user's own post in `room`, and stops. */
async function firstRun(room: {
  jid: string;
}): Promise<{ dir: string; run: EngineRun; mine: { id: string } }> {
  const run = await runEngine(sim, { url: proxy.url });
  await run.until(pushing, 8000, 'push and a first sync');
  const mine = sim.control.post({ as: sim.demoUser.id, room: room.jid, body: 'the hotfix is out' });
  await run.until((r) => r.engine.lastMessage(room.jid)?.messageId === mine.id, 5000, 'my own post seen');
  await run.stop();
  return { dir: run.dir, run, mine };
}

async function leave(room: { jid: string }): Promise<void> {
  const { accessToken } = sim.control.actAs(sim.demoUser.id);
  const res = await fetch(
    `${sim.url}/api/v2/chats/rooms/${encodeURIComponent(room.jid)}/participants/${sim.demoUser.id}`,
    { method: 'DELETE', headers: { Authorization: `Bearer ${accessToken}` } },
  );
  if (!res.ok) throw new Error(`leaving the room: HTTP ${res.status}`);
}

describe('engine restart: the kept roster’s room topics come with the first subscription', () => {
  it('tells once a reaction made after the channel is up and before the first roster read returns', async () => {
    const room = sharedRooms()[0]!;
    const first = await firstRun(room);
    const second = await track(
      runEngine(sim, { dir: first.dir, secrets: first.run.secrets, url: proxy.url, start: false }),
    );
    // The store kept what the room's topic needs.
    expect(second.store.get('engine').roster).toContainEqual(
      expect.objectContaining({ id: room.jid, kind: 'room', room: { id: room.id, type: 'group' } }),
    );

    proxy.delay(
      (method, path) => method === 'GET' && path.startsWith('/api/v2/users/chats/me'),
      ROSTER_HOLD_MS,
    );
    sim.control.clearRequests();
    await second.engine.start();
    await liveChannel(second);
    sim.control.react({ as: room.colleague, messageId: first.mine.id, reactions: ['🎉'] });
    // The window this is about: the roster read has not even reached Genesys yet.
    expect(rosterReads()).toBe(0);

    await second.until(
      (r) => r.shown.some((n) => n.kind === 'reaction' && n.messageId === first.mine.id),
      ROSTER_HOLD_MS + 8000,
      'the reaction',
    );
    await second.until(pushing, 8000, 'push and the first sync');
    await sleep(300);
    expect(second.shown.filter((n) => n.kind === 'reaction' && n.messageId === first.mine.id)).toHaveLength(
      1,
    );
    expect(second.shown.filter((n) => n.messageIds.includes(first.mine.id))).toHaveLength(1);

    // The first subscription already held the room's topic (badges first, then the rooms).
    const puts = subscriptionPuts();
    expect(puts[0]).toContain(topicOf(room));
    expect(puts[0]![0]).toBe(`v2.users.${sim.demoUser.id}.badges.chats`);
  }, 40_000);

  it('a kept room the user left meanwhile is refused; the other rooms stay subscribed until the roster read drops it', async () => {
    const [stay, left] = sharedRooms();
    expect(left).toBeDefined();
    const first = await firstRun(stay!);
    await leave(left!); // while the app is closed

    const second = await track(
      runEngine(sim, { dir: first.dir, secrets: first.run.secrets, url: proxy.url, start: false }),
    );
    proxy.delay(
      (method, path) => method === 'GET' && path.startsWith('/api/v2/users/chats/me'),
      ROSTER_HOLD_MS,
    );
    sim.control.clearRequests();
    try {
      await second.engine.start();
      const channel = await liveChannel(second);
      expect(subscriptionPuts()[0]).toEqual(expect.arrayContaining([topicOf(stay!), topicOf(left!)]));
      // The refused topic makes the plan try the room's other spelling: that PUT still asks for every
      // other kept room (the roster has not been read yet, but the kept one still stands).
      await second.until(() => subscriptionPuts().length >= 2, 5000, 'the PUT after the refusal');
      const subscribed = sim.control.channels().find((c) => c.id === channel.id)!.topics;
      expect(subscribed).toContain(topicOf(stay!));
      expect(subscribed).not.toContain(topicOf(left!));
      expect(rosterReads()).toBe(0);

      sim.control.react({ as: stay!.colleague, messageId: first.mine.id, reactions: ['👍'] });
      await second.until(
        (r) => r.shown.some((n) => n.kind === 'reaction' && n.messageId === first.mine.id),
        ROSTER_HOLD_MS + 8000,
        'the reaction in the room still joined',
      );
      await second.until(pushing, 8000, 'push and the first sync');
      // The roster read dropped the room left: the last subscription no longer asks for it.
      await second.until(
        () => {
          const last = subscriptionPuts().at(-1) ?? [];
          return (
            last.includes(topicOf(stay!)) && !last.some((t) => t.includes(left!.id) || t.includes(left!.jid))
          );
        },
        5000,
        'a subscription without the room left',
      );
      await sleep(300);
      expect(second.shown.filter((n) => n.kind === 'reaction' && n.messageId === first.mine.id)).toHaveLength(
        1,
      );
      expect(second.engine.state.get()).toMatchObject({ connection: 'push', notice: undefined });
    } finally {
      await rejoin(left!);
    }
  }, 40_000);

  it('starts fresh, with the badge topic alone, when another account signs in on the same store', async () => {
    const room = sharedRooms()[0]!;
    const first = await firstRun(room);
    const other = sim.users.find((u) => u.id === room.colleague)!;
    proxy.delay(
      (method, path) => method === 'GET' && path.startsWith('/api/v2/users/chats/me'),
      ROSTER_HOLD_MS,
    );
    sim.control.clearRequests();
    const second = await track(runEngine(sim, { dir: first.dir, user: other.email, url: proxy.url }));
    await second.until(() => subscriptionPuts().length >= 1, 8000, 'the first subscription');
    const firstPut = subscriptionPuts()[0]!;
    expect(firstPut).toContain(`v2.users.${other.id}.badges.chats`);
    expect(firstPut.filter((t) => t.startsWith('v2.detail.events.collaboratechat.'))).toEqual([]);
    expect(second.engine.user?.id).toBe(other.id);
  }, 40_000);

  it('starts fresh, with the badge topic alone, when the same user signs in to another environment', async () => {
    const first = await firstRun(sharedRooms()[0]!); // through the proxy: its URL is the environment
    sim.control.clearRequests();
    const second = await track(runEngine(sim, { dir: first.dir, start: false })); // the simulator's own URL
    const kept = second.store.get('engine').owner;
    await second.engine.start();
    await second.engine.signIn();
    await second.until(() => subscriptionPuts().length >= 1, 8000, 'the first subscription');
    const firstPut = subscriptionPuts()[0]!;
    expect(firstPut).toContain(`v2.users.${sim.demoUser.id}.badges.chats`);
    expect(firstPut.filter((t) => t.startsWith('v2.detail.events.collaboratechat.'))).toEqual([]);
    expect(second.store.get('engine').owner).toMatchObject({ userId: sim.demoUser.id });
    expect(second.store.get('engine').owner?.environment).not.toBe(kept?.environment);
  }, 40_000);
});

async function rejoin(room: { jid: string }): Promise<void> {
  const { accessToken } = sim.control.actAs(sim.demoUser.id);
  await fetch(
    `${sim.url}/api/v2/chats/rooms/${encodeURIComponent(room.jid)}/participants/${sim.demoUser.id}`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}` },
    },
  );
}
