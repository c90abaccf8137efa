// The headless runner when its session ends. With `--sign-in print` (how a real org works: a person
// opens the printed URL; here the test plays that browser), `needs-sign-in` is said once and is not
// a dead end: actions are queued meanwhile, nothing is asked of Genesys, and {"type":"sign-in"}
// starts a new sign-in after which they are sent. Against a local simulator that goes away and
// comes back (new tokens), the runner signs in again by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { isPush, notifies, startHeadless, type Line } from '../support/headless-process.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 37, quiet: true, issueRefreshTokens: false });
});
afterAll(() => sim.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const colleagueOf = (s: Simulator): { id: string; email: string } =>
  s.users.find((u) => u.id !== s.demoUser.id)!;
const signInLines = (lines: Line[]): string[] =>
  lines.filter((l) => l['type'] === 'signin').map((l) => String(l['url']));

describe('headless runner: the session ends', () => {
  it('print mode: says it once, queues actions, and {"type":"sign-in"} signs in again', async () => {
    const h = startHeadless(['--env', sim.url, '--sign-in', 'print', '--ephemeral']);
    try {
      // The first sign-in: the runner prints the URL, "the browser" opens it.
      const first = await h.waitFor((l) => l['type'] === 'signin');
      await followAuthorizeRedirect(String(first['url']));
      await h.waitFor(isPush);

      sim.control.expireTokens(sim.demoUser.id);
      const ended = await h.waitFor((l) => l['type'] === 'state' && l['connection'] === 'needs-sign-in');
      const from = h.lines.indexOf(ended);
      const colleague = colleagueOf(sim);
      h.send({ type: 'reply', chatId: colleague.id, text: 'queued while signed out' });
      const queued = await h.waitFor((l) => l['type'] === 'result' && l['action'] === 'reply', 5000, from);
      expect(queued).toMatchObject({ ok: true, state: 'queued' });
      h.send({ type: 'resync' });
      sim.control.clearRequests();
      await sleep(1200);
      expect(sim.control.requests().entries).toEqual([]);
      const endedLines = h.lines.filter((l) => l['type'] === 'state' && l['connection'] === 'needs-sign-in');
      expect(endedLines).toHaveLength(1);
      expect(h.stderr().match(/The session ended/g)).toHaveLength(1);
      expect(signInLines(h.lines)).toHaveLength(1); // no sign-in started without being asked

      h.send({ type: 'sign-in' });
      await h.waitFor((l) => l['type'] === 'result' && l['action'] === 'sign-in' && l['ok'] === true);
      await h.waitFor(() => signInLines(h.lines).length === 2);
      await followAuthorizeRedirect(signInLines(h.lines)[1]!);
      await h.waitFor((l) => isPush(l), 8000, from);
      const sent = await h.waitFor((l) => l['type'] === 'action' && l['state'] === 'sent', 8000, from);
      expect(sim.control.message(String(sent['messageId']))).toMatchObject({
        body: 'queued while signed out',
      });

      h.send({ type: 'sign-in' });
      await h.waitFor(
        (l) => l['type'] === 'result' && l['action'] === 'sign-in' && l['error'] === 'Already signed in.',
      );
    } finally {
      expect(await h.stop()).toBe(0);
    }
  }, 40_000);

  it('auto mode: a local simulator that goes away and comes back is signed in to again by itself', async () => {
    let local = await startSimulator({ seed: 38, quiet: true, issueRefreshTokens: false });
    const port = Number(new URL(local.url).port);
    const h = startHeadless(['--env', local.url, '--ephemeral']);
    try {
      await h.waitFor(isPush);
      await local.close();
      const gone = await h.waitFor((l) => l['type'] === 'state' && l['connection'] !== 'push');
      const from = h.lines.indexOf(gone);
      // The same org on the same address, but it knows none of the old tokens.
      local = await startSimulator({ port, seed: 38, quiet: true, issueRefreshTokens: false });
      await h.waitFor(isPush, 20_000, from);
      const dm = local.control.post({
        as: colleagueOf(local).email,
        toUser: local.demoUser.id,
        body: 'back again',
      });
      await h.waitFor(notifies(dm.id), 8000, from);
      expect(h.lines.filter((l) => l['type'] === 'signin')).toEqual([]);
    } finally {
      expect(await h.stop()).toBe(0);
      await local.close();
    }
  }, 45_000);
});
