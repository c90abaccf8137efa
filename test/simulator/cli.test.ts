// The standalone CLI prints its listening line and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../src/simulator/cli.ts', import.meta.url));

describe('cli', () => {
  it('prints "Genesys Cloud simulator listening on <url>", serves, and exits on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        CLI,
        ...[
          '--port',
          '0',
          '--seed',
          '5',
          '--traffic',
          '--refresh-tokens',
          '--variant',
          'rosterOrder=shuffled',
        ],
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no output; stderr: ${err}`)), 10_000);
        child.stderr.on('data', (d: Buffer) => (err += String(d)));
        child.stdout.on('data', (d: Buffer) => {
          out += String(d);
          const first = out.split('\n')[0];
          if (out.includes('\n') && first !== undefined) {
            clearTimeout(timer);
            resolve(first);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}; stderr: ${err}`)));
      });
      expect(line).toMatch(/^Genesys Cloud simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.replace('Genesys Cloud simulator listening on ', '');
      const users = await fetch(`${url}/_sim/users`);
      expect(users.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects bad arguments', async () => {
    for (const args of [
      ['--port', 'abc'],
      ['--variant', 'historyOrder=sideways'],
      ['--variant', 'nope=1'],
    ]) {
      const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', CLI, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code, args.join(' ')).toBe(2);
    }
  });
});
