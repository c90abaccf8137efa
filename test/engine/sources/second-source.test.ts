// A second source registered beside chats (the test-only NotesSource) gets its frames from the same
// notification channel, over a real socket to the simulator, and its events go through the same
// pipeline as chats: notified exactly once, across a restart too; held and summarised under
// do-not-disturb; counted in the inbox. The chat source works on beside it, untouched.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PushHub } from '../../../src/main/engine/sources/push-hub.ts';
import type { PushPort, WatchSource } from '../../../src/main/engine/sources/source.ts';
import { mergeStates } from '../../../src/main/engine/sources/watching.ts';
import { defaultTimings } from '../../../src/main/engine/watch/types.ts';
import { WireStats } from '../../../src/main/genesys/wire-stats.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../../support/engine-harness.ts';
import { SocketTap } from '../watch/harness.ts';
import { NOTES_CHAT, noteFrame, notesTopic, NotesSource, type Note } from './notes-source.ts';

let sim: Simulator;
const runs: EngineRun[] = [];
let tap: SocketTap;

beforeAll(async () => {
  sim = await startSimulator({ seed: 12, quiet: true, heartbeatIntervalMs: 500 });
});
afterAll(() => sim.close());
afterEach(async () => {
  for (const run of runs.splice(0)) await run.stop();
});

async function start(opts: { dir?: string; secrets?: EngineRun['secrets'] } = {}): Promise<EngineRun> {
  tap = new SocketTap();
  const run = await runEngine(sim, {
    ...opts,
    webSocketImpl: tap.Impl,
    sources: [(ctx) => new NotesSource(ctx)],
  });
  runs.push(run);
  await run.until((r) => r.engine.state.get().connection === 'push', 5000, 'push');
  return run;
}

let noteCount = 0;
function note(text: string): Note {
  noteCount++;
  return { id: `note-${noteCount}`, from: 'Robin', text, at: Date.now() };
}

function shownFor(run: EngineRun, id: string): number {
  return run.shown.filter((n) => n.messageIds.includes(id)).length;
}

describe('a second source beside chats', () => {
  it('subscribes its topic on the one channel, after the chat topics', async () => {
    const run = await start();
    const channel = sim.control.channels().find((c) => c.userId === sim.demoUser.id && c.connected);
    expect(channel).toBeDefined();
    // The simulator does not know the notes family and Rejects it; the chat topics stay subscribed.
    expect(channel!.topics).toContain(`v2.users.${sim.demoUser.id}.badges.chats`);
    expect(channel!.topics).not.toContain(notesTopic(sim.demoUser.id));
    expect(run.engine.diagnostics({ name: 't', version: '0' }).push.channelsOpened).toBe(1);
  });

  it('notifies a pushed note once, counts it in the inbox, and never again after a restart', async () => {
    const first = await start();
    const n = note('the build is green');
    tap.inject(noteFrame(sim.demoUser.id, n));
    await first.until((r) => shownFor(r, n.id) === 1, 3000, 'the note notified');
    expect(first.shown.find((s) => s.messageIds.includes(n.id))).toMatchObject({ chatId: NOTES_CHAT.id });
    await first.until(
      (r) => r.engine.state.get().inbox.some((c) => c.chatId === NOTES_CHAT.id),
      2000,
      'inbox',
    );
    const unread = first.engine.state.get().unread;
    expect(unread).toBeGreaterThanOrEqual(1);
    tap.inject(noteFrame(sim.demoUser.id, n)); // the same note again: nothing new
    // Chats work on beside it: a colleague's 1on1 message is notified as before.
    const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!;
    const dm = sim.control.post({ as: colleague.email, toUser: sim.demoUser.id, body: 'lunch?' });
    await first.until((r) => shownFor(r, dm.id) === 1, 3000, 'the 1on1 message');
    expect(shownFor(first, n.id)).toBe(1);
    await first.stop();
    runs.splice(runs.indexOf(first), 1);

    const second = await start({ dir: first.dir, secrets: first.secrets });
    tap.inject(noteFrame(sim.demoUser.id, n)); // delivered again after the restart
    const later = note('and deployed');
    tap.inject(noteFrame(sim.demoUser.id, later));
    await second.until((r) => shownFor(r, later.id) === 1, 3000, 'the next note');
    await second.engine.idle();
    expect(shownFor(second, n.id)).toBe(0);
    expect(second.engine.state.get().inbox.find((c) => c.chatId === NOTES_CHAT.id)?.unread).toBe(2);
  });

  it('holds notes under do-not-disturb and summarises them when it ends', async () => {
    const run = await start();
    run.engine.updatePrefs({ dnd: true });
    const a = note('one');
    const b = note('two');
    tap.inject(noteFrame(sim.demoUser.id, a));
    tap.inject(noteFrame(sim.demoUser.id, b));
    await run.until((r) => r.engine.state.get().held === 2, 3000, 'both held');
    expect(shownFor(run, a.id) + shownFor(run, b.id)).toBe(0);
    run.engine.updatePrefs({ dnd: false });
    await run.until((r) => r.shown.some((n) => n.kind === 'digest'), 3000, 'the summary');
    const summary = run.shown.find((n) => n.kind === 'digest')!;
    expect(summary).toMatchObject({ chatId: NOTES_CHAT.id });
    expect(summary.messageIds).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(summary.body).toMatch(/While you were away: 2 new messages/);
  });

  it('counts a frame of a family no source owns as such, and delivers nothing for it', async () => {
    const run = await start();
    tap.inject(JSON.stringify({ topicName: `v2.users.${sim.demoUser.id}.presence`, eventBody: { id: 'x' } }));
    tap.inject(noteFrame(sim.demoUser.id, note('after it')));
    await run.until((r) => r.shown.some((n) => n.chatId === NOTES_CHAT.id), 3000, 'the note after it');
    const report = run.engine.diagnostics({ name: 't', version: '0' });
    const kinds = report.wire.surprises.map((s) => s.kind);
    expect(kinds).toContain('push: a topic of an unknown family (v2.users.{id}.presence)');
    expect(kinds.some((k) => k.includes('note'))).toBe(false);
  });
});

describe('the merged connection state', () => {
  it('is the worst of the sources’ states', () => {
    expect(mergeStates(['push', 'push'])).toBe('push');
    expect(mergeStates(['push', 'polling'])).toBe('polling');
    expect(mergeStates(['polling', 'connecting'])).toBe('connecting');
    expect(mergeStates(['push', 'offline', 'connecting'])).toBe('offline');
    expect(mergeStates(['offline', 'needs-sign-in'])).toBe('needs-sign-in');
    expect(mergeStates([])).toBe('offline');
  });
});

describe('the shared topic budget', () => {
  /** A source that wants `count` topics of its own family, and may reserve some. */
  function wanting(id: string, count: number, reserved = 0): WatchSource & { limit: () => number } {
    let port: PushPort | null = null;
    const source = {
      id,
      state: 'push' as const,
      reservedTopics: reserved,
      ownsTopic: (t: string) => t.startsWith(`${id}.`),
      topics: () => Array.from({ length: Math.min(count, port!.topicLimit()) }, (_, i) => `${id}.${i}`),
      limit: () => port!.topicLimit(),
      onFrame: () => {},
      onChannel: () => {},
      start: () => {},
      stop: () => {},
      resync: () => {},
      on: () => () => {},
      bindPort: (p: PushPort) => (port = p),
    };
    return source;
  }

  function hubWith(...sources: ReturnType<typeof wanting>[]): PushHub {
    const hub = new PushHub({
      api: {
        createChannel: () => Promise.reject(new Error('unused')),
        replaceTopics: () => Promise.reject(new Error('unused')),
      },
      allowedSocketHosts: [],
      WebSocketImpl: class {} as never,
      timings: defaultTimings,
      wireStats: new WireStats(),
      log: () => {},
      now: Date.now,
      random: Math.random,
    });
    for (const s of sources) {
      const { port, bind } = hub.port();
      (s as unknown as { bindPort(p: PushPort): void }).bindPort(port);
      bind(s);
    }
    return hub;
  }

  it('serves chats first and keeps what a later source reserves: 1000 topics in all', () => {
    const chats = wanting('chats', 5000);
    const notes = wanting('notes', 3, 1);
    const topics = hubWith(chats, notes).topics();
    expect(topics).toHaveLength(1000);
    expect(chats.limit()).toBe(999);
    expect(topics.filter((t) => t.startsWith('chats.'))).toHaveLength(999);
    expect(topics).toContain('notes.0');
  });

  it('gives a later source what the first leaves, beyond its reservation', () => {
    const chats = wanting('chats', 10);
    const notes = wanting('notes', 3, 1);
    expect(hubWith(chats, notes).topics()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `chats.${i}`),
      'notes.0',
      'notes.1',
      'notes.2',
    ]);
  });
});
