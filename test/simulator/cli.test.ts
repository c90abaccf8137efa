// The standalone CLI prints its listening line and its control token, serves the control
// interface to that token only, and stops cleanly on SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../src/simulator/cli.ts', import.meta.url));

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', CLI, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The first `n` lines the child prints. */
function lines(child: ChildProcessWithoutNullStreams, n: number): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no output; stderr: ${err}`)), 10_000);
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const got = out.split('\n');
      if (got.length > n) {
        clearTimeout(timer);
        resolve(got.slice(0, n));
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}; stderr: ${err}`)));
  });
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('cli', () => {
  it('prints "Genesys Cloud simulator listening on <url>" and its control token, serves, and exits on SIGTERM', async () => {
    const child = start([
      '--port',
      '0',
      '--seed',
      '5',
      '--traffic',
      '--refresh-tokens',
      '--variant',
      'rosterOrder=shuffled',
    ]);
    try {
      const [listening, control] = await lines(child, 2);
      expect(listening).toMatch(/^Genesys Cloud simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = listening!.replace('Genesys Cloud simulator listening on ', '');
      const token = /x-sim-control-token: (\S+)$/.exec(control ?? '')?.[1];
      expect(token, control).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect((await fetch(`${url}/_sim/users`)).status).toBe(403);
      const users = await fetch(`${url}/_sim/users`, { headers: { 'x-sim-control-token': token! } });
      expect(users.status).toBe(200);
      expect(await stop(child)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('takes the control token from --control-token', async () => {
    const secret = 'a-test-secret-of-32-characters-x';
    const child = start(['--port', '0', '--control-token', secret]);
    try {
      const [listening, control] = await lines(child, 2);
      const url = listening!.replace('Genesys Cloud simulator listening on ', '');
      expect(control).toContain(`x-sim-control-token: ${secret}`);
      const res = await fetch(`${url}/_sim/users`, { headers: { 'x-sim-control-token': secret } });
      expect(res.status).toBe(200);
      expect(await stop(child)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects bad arguments', async () => {
    for (const args of [
      ['--port', 'abc'],
      ['--variant', 'historyOrder=sideways'],
      ['--variant', 'nope=1'],
      ['--control-token', 'short'],
    ]) {
      const code = await new Promise<number | null>((resolve) => start(args).on('exit', (c) => resolve(c)));
      expect(code, args.join(' ')).toBe(2);
    }
  });
});
