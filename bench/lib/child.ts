// The headless runner (`npm run headless`, src/main/headless/cli.ts) as a child process, so its CPU
// time and memory are its own: read from /proc/<pid>/stat (utime + stime) and /proc/<pid>/status
// (VmRSS, VmHWM). Its stdout JSON lines are parsed and timestamped as they arrive.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT_DIR, Tail, until } from './util.ts';

export interface OutLine {
  /** performance.now() in this process when the line arrived. */
  at: number;
  line: Record<string, unknown>;
}

export interface HeadlessChild {
  pid: number;
  lines: OutLine[];
  stderr: Tail;
  send(action: Record<string, unknown>): void;
  /** Resolves with the first line (from `from` on) that `match` accepts. */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    what: string,
    ms: number,
    from?: number,
  ): Promise<OutLine>;
  stop(): Promise<void>;
}

/**
 * Starts `npm run headless` (the TypeScript sources through Node's type stripping), or, with
 * `bundle`, the same runner bundled as the app's main process is (see bundle.ts).
 */
/**
 * The tuning flags of the `headless` script in package.json (read from it, so the two agree): the
 * flags of its `node` command before the script, less the TypeScript loader's (the bundle needs
 * none) and `--no-warnings` (always passed). Young generation, optimising tiers, WebAssembly tiers.
 */
export const HEADLESS_NODE_FLAGS = ((): string[] => {
  const pkg = JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = (pkg.scripts['headless'] ?? '').split('&&').pop() ?? '';
  const words = command.trim().split(/\s+/).slice(1);
  const flags = words.slice(
    0,
    words.findIndex((w) => !w.startsWith('--')),
  );
  return flags.filter((f) => f !== '--experimental-strip-types' && f !== '--no-warnings');
})();

export function startHeadless(simUrl: string, opts: { bundle?: string } = {}): HeadlessChild {
  const dataDir = mkdtempSync(join(tmpdir(), 'gct-bench-headless-'));
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      ...(opts.bundle ? [] : ['--experimental-strip-types']),
      '--no-warnings',
      // As `npm run headless` runs it (see HEADLESS_NODE_FLAGS).
      ...HEADLESS_NODE_FLAGS,
      // For investigating a figure, e.g. GCT_BENCH_CHILD_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
      ...(process.env.GCT_BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []),
      opts.bundle ?? 'src/main/headless/cli.ts',
      '--env',
      simUrl,
      '--data-dir',
      dataDir,
    ],
    { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  if (proc.pid === undefined) throw new Error('the headless runner did not start');
  const lines: OutLine[] = [];
  const stderr = new Tail(200);
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    const at = performance.now();
    try {
      lines.push({ at, line: JSON.parse(text) as Record<string, unknown> });
    } catch {
      stderr.push(`(stdout) ${text}`);
    }
  });
  createInterface({ input: proc.stderr! }).on('line', (text) => stderr.push(text));
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  return {
    pid: proc.pid,
    lines,
    stderr,
    send(action) {
      proc.stdin!.write(`${JSON.stringify(action)}\n`);
    },
    async waitForLine(match, what, ms, from = 0) {
      try {
        return await until(
          () => {
            if (gone) throw new Error(`the headless runner exited while waiting for ${what}`);
            return lines.slice(from).find((l) => match(l.line));
          },
          what,
          ms,
          20,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- headless stderr ---\n${stderr.text()}`, {
          cause: err,
        });
      }
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT');
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat times (CLK_TCK, almost always 100). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) the process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3, `state`.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** Resident set size now and its peak (VmRSS, VmHWM), in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
