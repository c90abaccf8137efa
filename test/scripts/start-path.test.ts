// `npm start` on a fresh clone, where node_modules/electron has no binary yet (Electron 45
// downloads it on first use, not at install): the real npm, the real start script, Electron's own
// installer and electron-vite, over real sockets. The "network" is a loopback port that refuses,
// a loopback mirror serving a stand-in Electron zip, or a loopback HTTP proxy in front of it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformExecutable } from '../../scripts/electron-binary.mjs';
import { makeZip } from '../support/zip.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const ZIP_NAME = `electron-v${VERSION}-${process.platform}-${process.arch}.zip`;
const MINUTE = 60_000;

const scratch = mkdtempSync(join(tmpdir(), 'gct-start-path-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A fresh clone as `npm install` leaves it: this project's package.json and scripts, node_modules
 * with every package of ours (linked), and an electron package without dist/ or path.txt.
 */
function freshClone(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'node_modules', 'electron'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  const modules = join(ROOT, 'node_modules');
  for (const entry of readdirSync(modules)) {
    if (entry !== 'electron') symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(modules, 'electron'))) {
    const from = join(modules, 'electron', entry);
    const to = join(dir, 'node_modules', 'electron', entry);
    if (entry === 'dist' || entry === 'path.txt') continue;
    if (entry === 'node_modules') symlinkSync(from, to);
    else copyFileSync(from, to);
  }
  // electron-vite checks that package.json's `main` exists before it launches Electron.
  mkdirSync(join(dir, 'out', 'main'), { recursive: true });
  writeFileSync(join(dir, 'out', 'main', 'index.js'), '// the built app would be here\n');
  return dir;
}

/** The environment of a user's shell: no npm, Electron, proxy or debug settings from this run. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|electron_|global_agent_)|_proxy$|^debug$|^node_options$/i.test(key)) continue;
    env[key] = value;
  }
  // This test's Node (22.12 or newer) is the user's first `node`.
  env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  env.electron_config_cache = join(scratch, 'electron-cache');
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npm start [-- args]` in `dir`; killed after `timeoutMs`. */
function npmStart(
  dir: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  timeoutMs = MINUTE,
): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[test] killed after ${timeoutMs} ms`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return (server.address() as AddressInfo).port;
}

/** A loopback port with nothing listening: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** An Electron mirror on loopback serving a stand-in Electron (a shell script) and its checksum. */
function startMirror(): { server: Server; requests: string[] } {
  const zip = makeZip([
    { name: platformExecutable(process.platform), data: '#!/bin/sh\necho "fake-electron $*"\n', mode: 0o755 },
    { name: 'version', data: VERSION },
  ]);
  const sums = `${createHash('sha256').update(zip).digest('hex')} *${ZIP_NAME}\n`;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    if (req.url === `/v${VERSION}/${ZIP_NAME}`) res.end(zip);
    else if (req.url === `/v${VERSION}/SHASUMS256.txt`) res.end(sums);
    else res.writeHead(404).end('not here');
  });
  return { server, requests };
}

/** A forward HTTP proxy on loopback that sends every request, whatever its host, to `port`. */
function startProxy(port: number): { server: Server; hosts: string[] } {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://unknown');
    hosts.push(target.host);
    const upstream = httpRequest(
      { host: '127.0.0.1', port, path: target.pathname, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    hosts.push(req.url ?? '');
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return { server, hosts };
}

const REMEDIES = [
  'ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=',
  'ELECTRON_MIRROR=',
  'ELECTRON_OVERRIDE_DIST_PATH=',
  `electron-v${VERSION}-${process.platform}-${process.arch}.zip`,
];

describe.skipIf(process.platform === 'win32')(
  'npm start on a fresh clone without the Electron binary',
  () => {
    const mirror = startMirror();
    let mirrorPort = 0;
    beforeAll(async () => {
      mirrorPort = await listen(mirror.server);
    });
    afterAll(() => new Promise<void>((ok) => mirror.server.close(() => ok())));

    it(
      'with no network, exits non-zero within a minute, saying why and what to do',
      async () => {
        const clone = freshClone('offline');
        const port = await refusedPort();
        const run = await npmStart(clone, userEnv({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` }));
        const out = `${run.stdout}\n${run.stderr}`;
        expect(run.code, out).not.toBe(0);
        expect(run.ms).toBeLessThan(MINUTE);
        expect(run.stderr).toContain(
          `Genesys Chat Tray cannot start: Electron ${VERSION} (${process.platform}-${process.arch}) is not installed, and downloading it failed.`,
        );
        expect(run.stderr).toContain(`The download: http://127.0.0.1:${port}/v${VERSION}/${ZIP_NAME}`);
        expect(run.stderr).toMatch(/Connecting to it now: .*ECONNREFUSED/);
        expect(run.stderr).toContain('Offline: connect to the internet and run npm start again.');
        for (const remedy of REMEDIES) expect(run.stderr).toContain(remedy);
        expect(out).not.toMatch(/Electron uninstall|error during preview/);
        expect(existsSync(join(clone, 'node_modules', 'electron', 'path.txt'))).toBe(false);
      },
      MINUTE + 10_000,
    );

    it('with ELECTRON_SKIP_BINARY_DOWNLOAD set, downloads nothing and says how to go on', async () => {
      const clone = freshClone('skip');
      const before = mirror.requests.length;
      const run = await npmStart(
        clone,
        userEnv({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_MIRROR: `http://127.0.0.1:${mirrorPort}/` }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1 says not to download it.');
      expect(run.stderr).toContain('To download it now: ELECTRON_SKIP_BINARY_DOWNLOAD= npm start');
      for (const remedy of REMEDIES) expect(run.stderr).toContain(remedy);
      expect(mirror.requests.length).toBe(before);
    });

    it('with a binary named by ELECTRON_OVERRIDE_DIST_PATH that is not there, says so and downloads nothing', async () => {
      const clone = freshClone('override');
      const before = mirror.requests.length;
      const missing = join(scratch, 'no-such-electron');
      const run = await npmStart(
        clone,
        userEnv({ ELECTRON_OVERRIDE_DIST_PATH: missing, ELECTRON_MIRROR: `http://127.0.0.1:${mirrorPort}/` }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Cannot start Electron: ELECTRON_OVERRIDE_DIST_PATH has no ${missing}`);
      expect(mirror.requests.length).toBe(before);
    });

    it(
      'with a network, downloads Electron once through its own installer, then starts the app with it',
      async () => {
        const clone = freshClone('online');
        const env = userEnv({
          ELECTRON_MIRROR: `http://127.0.0.1:${mirrorPort}/`,
          // The stand-in zip is not in Electron's checksums.json: take the mirror's SHASUMS256.txt.
          electron_use_remote_checksums: '1',
        });
        const first = await npmStart(clone, env, ['--skipBuild']);
        expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
        expect(first.stdout).toContain(`Genesys Chat Tray: downloading Electron ${VERSION}`);
        expect(first.stdout).toContain('fake-electron .');
        expect(readFileSync(join(clone, 'node_modules', 'electron', 'path.txt'), 'utf8')).toBe(
          platformExecutable(process.platform),
        );
        expect(mirror.requests.filter((r) => r.endsWith(ZIP_NAME))).toHaveLength(1);

        // The second start finds the binary: no download, straight to Electron.
        const before = mirror.requests.length;
        const second = await npmStart(clone, env, ['--skipBuild']);
        expect(second.code, second.stderr).toBe(0);
        expect(second.stdout).toContain('fake-electron .');
        expect(second.stdout).not.toContain('downloading');
        expect(mirror.requests.length).toBe(before);
      },
      2 * MINUTE,
    );

    it(
      'behind a proxy given the old way (GLOBAL_AGENT_HTTP_PROXY), downloads through it',
      async () => {
        const proxy = startProxy(mirrorPort);
        const proxyPort = await listen(proxy.server);
        try {
          const clone = freshClone('proxy');
          const run = await npmStart(
            clone,
            userEnv({
              // Resolvable only through the proxy.
              ELECTRON_MIRROR: 'http://electron-mirror.invalid/',
              GLOBAL_AGENT_HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
              electron_use_remote_checksums: '1',
            }),
            ['--skipBuild'],
          );
          expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
          expect(run.stdout).toContain(`through the proxy http://127.0.0.1:${proxyPort}/`);
          expect(run.stdout).toContain('fake-electron .');
          expect(proxy.hosts.some((h) => h.startsWith('electron-mirror.invalid'))).toBe(true);
        } finally {
          proxy.server.closeAllConnections();
          await new Promise<void>((ok) => proxy.server.close(() => ok()));
        }
      },
      2 * MINUTE,
    );
  },
);
