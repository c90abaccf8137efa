// The headless runner as a real child process (`node src/main/headless/cli.ts ...`): its stdout
// JSON lines parsed as they arrive, its stderr kept, actions written to its stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Line = Record<string, unknown>;

export interface HeadlessProcess {
  child: ChildProcessWithoutNullStreams;
  lines: Line[];
  /** Everything written to stderr so far. */
  stderr(): string;
  send(obj: unknown): void;
  /** The first line (from index `from` on) that `pred` accepts. */
  waitFor(pred: (l: Line) => boolean, ms?: number, from?: number): Promise<Line>;
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Every raw line any runner printed (stdout and stderr), for the tests' secret scans. */
export const printed: string[] = [];

export function startHeadless(args: string[], env: Record<string, string> = {}): HeadlessProcess {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', 'src/main/headless/cli.ts', ...args],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const lines: Line[] = [];
  let err = '';
  createInterface({ input: child.stdout }).on('line', (l) => {
    printed.push(l);
    lines.push(JSON.parse(l) as Line);
  });
  child.stderr.on('data', (d: Buffer) => {
    printed.push(d.toString());
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    send: (obj) => child.stdin.write(typeof obj === 'string' ? `${obj}\n` : `${JSON.stringify(obj)}\n`),
    async waitFor(pred, ms = 8000, from = 0) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = lines.slice(from).find(pred);
        if (hit) return hit;
        if (Date.now() > end)
          throw new Error(
            `headless: timed out; last lines: ${JSON.stringify(lines.slice(-6))}\nstderr: ${err.slice(-800)}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export const isPush = (l: Line): boolean =>
  l['type'] === 'state' && l['connection'] === 'push' && l['synced'] === true;

export const notifies =
  (messageId: string) =>
  (l: Line): boolean =>
    l['type'] === 'notification' && (l['messageIds'] as string[]).includes(messageId);
