// A real HTTP proxy for the tests: Debian's tinyproxy (installed by .ci/run), started on a free
// loopback port with its own configuration and log in a temporary folder (never the system
// service). Optional Basic authentication and a CONNECT port allow-list.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestProxy {
  port: number;
  /** `127.0.0.1:<port>` */
  address: string;
  /** The CONNECT requests it received, as `host:port`, oldest first. */
  connects(): string[];
  /** Its whole log (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

export interface TestProxyOptions {
  basicAuth?: { user: string; password: string };
  /** Only these ports may be tunnelled to (tinyproxy's ConnectPort); default: any. */
  connectPorts?: number[];
}

export function tinyproxyPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v tinyproxy'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (!path) throw new Error('tinyproxy is not installed (Debian package "tinyproxy"; .ci/run installs it).');
  return path;
}

/** A loopback port nothing listens on (a proxy that is down). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTinyproxy(opts: TestProxyOptions = {}): Promise<TestProxy> {
  const bin = tinyproxyPath();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, await freePort(), opts);
    } catch (err) {
      lastError = err; // most likely the port was taken between probing and binding: try another
    }
  }
  throw lastError;
}

async function startOnce(bin: string, port: number, opts: TestProxyOptions): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'gct-tinyproxy-'));
  const logFile = join(dir, 'tinyproxy.log');
  const conf = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    'MaxClients 100',
    'LogLevel Info',
    `LogFile "${logFile}"`,
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...(opts.basicAuth ? [`BasicAuth ${opts.basicAuth.user} ${opts.basicAuth.password}`] : []),
    ...(opts.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ];
  const confFile = join(dir, 'tinyproxy.conf');
  writeFileSync(confFile, `${conf.join('\n')}\n`);
  const child: ChildProcess = spawn(bin, ['-d', '-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readLog = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 5000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`tinyproxy did not start on port ${port}: ${stderr}${readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    address: `127.0.0.1:${port}`,
    connects: () =>
      [...readLog().matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]!),
    log: readLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
