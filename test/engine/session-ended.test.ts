// The session ends (the access token expired and no refresh token was issued, as for a PKCE client,
// or the tokens were revoked): the engine says so once, asks Genesys nothing more, keeps what the
// user queued (on disk, also across a restart) and sends it after the new sign-in. With
// `autoSignIn` (the demo org, a local simulator) it signs in again by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/main/engine/engine-state.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 23, quiet: true, heartbeatIntervalMs: 5000, issueRefreshTokens: false });
});
afterAll(() => sim.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const colleague = (): { id: string; email: string } => sim.users.find((u) => u.id !== sim.demoUser.id)!;
const pushing = (r: EngineRun): boolean =>
  r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null;

/** Every connection state the engine publishes, in order. */
function record(run: EngineRun): ConnectionState[] {
  const seen: ConnectionState[] = [];
  run.engine.state.subscribe((s) => {
    if (seen.at(-1) !== s.connection) seen.push(s.connection);
  });
  return seen;
}

async function sentTexts(): Promise<string[]> {
  const { accessToken } = sim.control.actAs(colleague().id);
  const res = await fetch(`${sim.url}/api/v2/chats/users/${sim.demoUser.id}/messages?limit=100`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  const body = (await res.json()) as { entities?: { body?: string }[] };
  return (body.entities ?? []).map((m) => m.body ?? '');
}

describe('engine: the session ends', () => {
  it('says so once, asks nothing meanwhile, and sends what waited after signing in again', async () => {
    const run = await runEngine(sim);
    const states = record(run);
    await run.until(pushing, 5000, 'push');
    sim.control.expireTokens(sim.demoUser.id);
    const chat = run.engine.chat(colleague().id)!;
    // The user keeps working; the app keeps being nudged (wake, network back, a manual resync).
    await run.until((r) => r.engine.state.get().connection === 'needs-sign-in', 5000, 'needs-sign-in');
    const first = await run.engine.act({ kind: 'reply', chat, text: 'kept while signed out 1' });
    const second = await run.engine.act({ kind: 'reply', chat, text: 'kept while signed out 2' });
    expect([first.state, second.state]).toEqual(['queued', 'queued']);
    sim.control.clearRequests();
    for (const why of ['resume', 'online', 'manual'] as const) run.engine.resync(why);
    await sleep(1500);
    expect(sim.control.requests().entries).toEqual([]);
    expect(states.filter((s) => s === 'needs-sign-in')).toHaveLength(1);
    expect(run.logs.filter((l) => l.includes('failed') && l.includes('outbox'))).toEqual([]);
    await run.stop();

    // Restarted meanwhile: the queue is on disk; signing in again sends each message once.
    const again = await runEngine(sim, { dir: run.dir, secrets: run.secrets, start: false });
    try {
      await again.engine.start().catch(() => {});
      expect(again.engine.state.get().connection).toBe('needs-sign-in');
      expect(again.engine.state.get().outbox.map((o) => o.state)).toEqual(['queued', 'queued']);
      await again.engine.signIn();
      await again.until(
        (r) => r.engine.state.get().outbox.every((o) => o.state === 'sent'),
        8000,
        'both sent',
      );
      const texts = await sentTexts();
      expect(texts.filter((t) => t === 'kept while signed out 1')).toHaveLength(1);
      expect(texts.filter((t) => t === 'kept while signed out 2')).toHaveLength(1);
    } finally {
      await again.stop();
    }
  }, 30_000);

  it('treats revoked tokens (the refresh refused) the same: once, then quiet', async () => {
    sim.control.setRefreshTokens(true);
    const run = await runEngine(sim);
    try {
      const states = record(run);
      await run.until(pushing, 5000, 'push');
      sim.control.revokeTokens(sim.demoUser.id);
      await run.until((r) => r.engine.state.get().connection === 'needs-sign-in', 5000, 'needs-sign-in');
      sim.control.clearRequests();
      run.engine.resync('online');
      await sleep(1000);
      expect(sim.control.requests().entries).toEqual([]);
      expect(states.filter((s) => s === 'needs-sign-in')).toHaveLength(1);
    } finally {
      sim.control.setRefreshTokens(false);
      await run.stop();
    }
  }, 20_000);

  it('signs in again by itself with autoSignIn, and sends what was queued', async () => {
    const run = await runEngine(sim, { autoSignIn: true });
    try {
      await run.until(pushing, 5000, 'push');
      const chat = run.engine.chat(colleague().id)!;
      sim.control.expireTokens(sim.demoUser.id);
      const item = await run.engine.act({ kind: 'reply', chat, text: 'sent after the demo signed in again' });
      await run.until(
        (r) => r.engine.state.get().outbox.find((o) => o.id === item.id)?.state === 'sent',
        10_000,
        'sent',
      );
      await run.until(pushing, 5000, 'push again');
      expect(run.logs.some((l) => l.includes('signed in'))).toBe(true);
      expect((await sentTexts()).filter((t) => t === 'sent after the demo signed in again')).toHaveLength(1);
    } finally {
      await run.stop();
    }
  }, 20_000);
});
