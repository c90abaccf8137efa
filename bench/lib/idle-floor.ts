// The floor under the idle figure: a Node process with the runner's flags that does only what any
// client of Genesys Cloud on this stack must do and nothing of ours: it loads zod, makes one REST
// call with Node's fetch, opens the notification socket with Node's WebSocket, and waits. Measured
// exactly as the runner is (idle.ts), beside it, so "what is ours" is the difference of two numbers
// taken on the same machine at the same time.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HEADLESS_NODE_FLAGS, memoryMb } from './child.ts';
import { quietSimulator } from './sim.ts';
import { ROOT_DIR, round, sleep, until } from './util.ts';

/** Runs as an ES module in the repository folder (so `zod` resolves from its node_modules). */
const FLOOR_SCRIPT = `
const [api, token] = process.argv.slice(-2);
await import('zod');
const res = await fetch(api + '/api/v2/notifications/channels', {
  method: 'POST',
  headers: { authorization: 'Bearer ' + token },
});
const { connectUri } = await res.json();
const socket = new WebSocket(connectUri);
socket.onopen = () => console.log('open');
socket.onerror = () => console.log('error');
setInterval(() => {}, 1 << 30);
`;

export interface IdleFloorResult {
  seconds: number;
  rssMb: number;
  rssMinMb: number;
}

export async function measureIdleFloor(opts: {
  seconds: number;
  settleMs: number;
}): Promise<IdleFloorResult> {
  const sim = await quietSimulator({ seed: 6 });
  const token = sim.control.actAs(sim.demoUser.id).accessToken;
  const proc = spawn(
    process.execPath,
    [...HEADLESS_NODE_FLAGS, '--input-type=module', '-e', FLOOR_SCRIPT, sim.url, token],
    { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const lines: string[] = [];
    createInterface({ input: proc.stdout! }).on('line', (l) => lines.push(l));
    await until(
      () => {
        if (lines.includes('error')) throw new Error('the floor process could not open its socket');
        return lines.includes('open') || undefined;
      },
      'the floor process to open its socket',
      30_000,
      20,
    );
    await sleep(opts.settleMs);
    const rss: number[] = [memoryMb(proc.pid!).rss];
    const t0 = performance.now();
    while (performance.now() - t0 < opts.seconds * 1000) {
      await sleep(Math.min(5_000, opts.seconds * 1000 - (performance.now() - t0)));
      rss.push(memoryMb(proc.pid!).rss);
    }
    return { seconds: opts.seconds, rssMb: round(Math.max(...rss)), rssMinMb: round(Math.min(...rss)) };
  } finally {
    proc.kill('SIGTERM');
    await sim.close();
  }
}
