// Changing one personal chat setting sends that setting and nothing else: never the user's mobile
// choice, never the other settings (which another client may have changed meanwhile).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine } from '../support/engine-harness.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, quiet: true });
});
afterAll(() => sim.close());

async function settingsOf(token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('personal chat settings', () => {
  it('changing one setting sends only that setting', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    // The user chose this on their phone; the tray app must leave it alone.
    await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ mobile: { notifications: { when: 'OnlyWhenInactive' } } }),
    });
    const run = await runEngine(sim);
    try {
      await run.until((r) => r.engine.state.get().settings.value !== null, 5000, 'the settings');
      sim.control.clearRequests();
      await run.engine.updateServerSettings({ mentionsOnly: true });
      // Unchanged values are not sent at all.
      await run.engine.updateServerSettings({ mentionsOnly: true, muted: false });
      await run.engine.updateServerSettings({ notifyOnReactions: false });
      const patches = sim.control
        .requests()
        .entries.filter((e) => e.method === 'PATCH' && e.route === '/api/v2/chats/users/me/settings');
      expect(patches.map((p) => p.body)).toEqual([{ mentionsOnly: true }, { notifyOnReactions: false }]);
      expect(await settingsOf(token)).toEqual({
        muted: false,
        mentionsOnly: true,
        notifyOnReactions: false,
        mobile: { notifications: { when: 'OnlyWhenInactive' } },
      });
      expect(run.engine.state.get().settings.value).toEqual({
        muted: false,
        mentionsOnly: true,
        notifyOnReactions: false,
      });
    } finally {
      await run.stop();
    }
  });
});
