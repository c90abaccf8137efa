// An engine that knows its account from the store (a restart) takes the user's actions while it is
// still connecting or offline: they wait in the outbox, on disk, and are sent once it connects.
// Another account signing in on the same store never sends them. And the first decisions after
// connecting wait for the user's chat settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRef } from '../../src/main/engine/model.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';

let sim: Simulator;
let proxy: DelayProxy;

beforeAll(async () => {
  sim = await startSimulator({ seed: 17, quiet: true, heartbeatIntervalMs: 5000 });
  proxy = await startDelayProxy(sim.url);
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const colleague = (): { id: string; email: string } => sim.users.find((u) => u.id !== sim.demoUser.id)!;
const pushing = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null;
async function firstRun(url?: string): Promise<EngineRun> {
  const run = await runEngine(sim, url ? { url } : {});
  await run.until(pushing, 5000, 'push');
  await run.stop();
  return run;
}

describe('engine with a known account', () => {
  it('queues actions while connecting and offline, keeps them across a restart, sends each once', async () => {
    const first = await firstRun();
    sim.control.failNext(100_000, 503); // Genesys answers nothing but errors
    const second = await runEngine(sim, { dir: first.dir, secrets: first.secrets, start: false });
    const starting = second.engine.start().catch(() => {});
    const chat: ChatRef | undefined = second.engine.chat(colleague().id); // the roster it knew
    expect(chat).toBeDefined();
    const whileConnecting = await second.engine.act({
      kind: 'reply',
      chat: chat!,
      text: 'queued while connecting',
    });
    expect(whileConnecting.state).toBe('queued');
    await starting;
    expect(second.engine.state.get().connection).toBe('offline');
    const whileOffline = await second.engine.act({
      kind: 'reply',
      chat: chat!,
      text: 'queued while offline',
    });
    expect(whileOffline.state).toBe('queued');
    await second.stop();

    // Restarted, still offline: both are still there; then Genesys answers again.
    const third = await runEngine(sim, { dir: first.dir, secrets: first.secrets, start: false });
    try {
      const restarting = third.engine.start().catch(() => {});
      expect(third.engine.state.get().outbox.map((o) => o.text)).toEqual([
        'queued while connecting',
        'queued while offline',
      ]);
      await restarting;
      sim.control.resetFaults();
      third.engine.resync('online');
      await third.until(
        (r) => r.engine.state.get().outbox.filter((o) => o.state === 'sent').length === 2,
        10_000,
        'both sent',
      );
      expect(await messagesFromMe(['queued while connecting', 'queued while offline'])).toEqual([1, 1]);
    } finally {
      sim.control.resetFaults();
      await third.stop();
    }
  }, 30_000);

  it('never sends what one account queued as another account that signs in on the same store', async () => {
    const first = await firstRun();
    const other = colleague();
    const second = await runEngine(sim, { dir: first.dir, user: other.email, start: false });
    try {
      await second.engine.start(); // no tokens for the other user: signed out, but the store knows Alex
      const chat = second.engine.chat(other.id)!;
      await second.engine.act({ kind: 'reply', chat, text: 'only Alex may send this' });
      await second.engine.signIn(); // as the colleague
      await second.until(pushing, 5000, 'push as the other user');
      await sleep(500);
      expect(second.engine.user?.id).toBe(other.id);
      expect(second.engine.state.get().outbox).toEqual([]);
      expect(second.store.get('engine').outbox).toEqual([]);
      expect(await messagesFromMe(['only Alex may send this'], other.id)).toEqual([0]);
    } finally {
      await second.stop();
    }
  }, 20_000);

  it('decides the first catch-up with the settings just read, even when they come slowly', async () => {
    const first = await firstRun(proxy.url); // remembers "everything notifies"
    // While the app is closed the user turns on "mentions only" elsewhere, and colleagues write.
    await patchSettings({ mentionsOnly: true });
    const room = sim.control
      .chats(sim.demoUser.id)
      .find((c) => c.kind === 'room' && c.participants.includes(colleague().id))!;
    const plain = sim.control.post({ as: colleague().email, room: room.jid!, body: 'no mention here' });
    const direct = sim.control.post({ as: colleague().email, toUser: sim.demoUser.id, body: 'a DM' });
    proxy.delay(
      (method, path) => method === 'GET' && path.startsWith('/api/v2/chats/users/me/settings'),
      1500,
    );
    const second = await runEngine(sim, { dir: first.dir, secrets: first.secrets, url: proxy.url });
    try {
      await second.until((r) => r.shown.some((n) => n.messageIds.includes(direct.id)), 8000, 'the DM');
      await second.until(pushing, 5000, 'push');
      await sleep(300);
      expect(second.engine.state.get().settings.value?.mentionsOnly).toBe(true);
      expect(second.shown.filter((n) => n.messageIds.includes(plain.id))).toEqual([]);
    } finally {
      proxy.delay(() => false, 0);
      await second.stop();
      await patchSettings({ mentionsOnly: false });
    }
  }, 30_000);
});

describe('engine: a settings read that hangs', () => {
  it('holds the first decisions only briefly, then decides with the settings it last read', async () => {
    const first = await firstRun(proxy.url);
    const direct = sim.control.post({ as: colleague().email, toUser: sim.demoUser.id, body: 'do not wait' });
    proxy.delay(
      (method, path) => method === 'GET' && path.startsWith('/api/v2/chats/users/me/settings'),
      4000,
    );
    const second = await runEngine(sim, {
      dir: first.dir,
      secrets: first.secrets,
      url: proxy.url,
      settingsWaitMs: 300,
    });
    try {
      await second.until((r) => r.shown.some((n) => n.messageIds.includes(direct.id)), 3500, 'the DM');
      // Told while the settings were still being read.
      expect(second.engine.state.get().settings.sync).toBe('loading');
    } finally {
      proxy.delay(() => false, 0);
      await second.stop();
    }
  }, 20_000);
});

async function patchSettings(change: { mentionsOnly: boolean }): Promise<void> {
  const { accessToken } = sim.control.actAs(sim.demoUser.id);
  const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...change, mobile: { notifications: { when: 'Always' } } }),
  });
  if (!res.ok) throw new Error(`settings: HTTP ${res.status}`);
}

/** How many messages with each text `sender` has in the 1on1 with the colleague (read over the API). */
async function messagesFromMe(texts: string[], sender = sim.demoUser.id): Promise<number[]> {
  const partner = sender === sim.demoUser.id ? colleague().id : sim.demoUser.id;
  const { accessToken } = sim.control.actAs(sender);
  const res = await fetch(`${sim.url}/api/v2/chats/users/${partner}/messages?limit=100`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  const body = (await res.json()) as { entities?: { body?: string }[] };
  const bodies = (body.entities ?? []).map((m) => m.body);
  return texts.map((t) => bodies.filter((b) => b === t).length);
}
