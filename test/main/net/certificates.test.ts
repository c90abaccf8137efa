// Company certificates and proxy variables, with the headless runner as a real process: the
// simulator served over TLS with a certificate from a test CA generated here (as a TLS-inspecting
// proxy's would be). Trusted through the OS store (on Linux, OpenSSL's default file, which
// SSL_CERT_FILE replaces), refused in words without it, and NODE_EXTRA_CA_CERTS still works.
// HTTPS_PROXY is followed (through tinyproxy) and NO_PROXY honoured.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { freePort, startTinyproxy } from '../../support/tinyproxy.ts';

let dir: string;
let sim: Simulator;
let caFile: string;
let emptyDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gct-certs-'));
  emptyDir = join(dir, 'empty');
  mkdirSync(emptyDir);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Northwind Test Inspection CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  caFile = join(dir, 'ca.pem');
  sim = await startSimulator({
    seed: 47,
    quiet: true,
    tls: {
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    },
  });
  expect(sim.url).toMatch(/^https:\/\/localhost:\d+$/);
}, 60_000);

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const CLEARED = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_OPTIONS',
  ...['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((k) => [k, k.toUpperCase()]),
];

interface Outcome {
  lines: Record<string, unknown>[];
  stderr: string;
  code: number | null;
  /** Still running when it was stopped (it keeps trying after a failure it has reported). */
  running: boolean;
}

/**
 * Runs the headless runner until it has synced over push, it exits, or (with `untilSaid`) it has
 * said that on stderr; then stops it.
 */
async function headless(
  env: Record<string, string>,
  extraArgs: string[] = [],
  untilSaid?: string,
): Promise<Outcome> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !CLEARED.includes(k)),
  ) as Record<string, string>;
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      'src/main/headless/cli.ts',
      '--env',
      sim.url,
      ...extraArgs,
    ],
    { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let said: () => void = () => {};
  const saidIt = new Promise<void>((resolve) => (said = resolve));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (untilSaid !== undefined && stderr.includes(untilSaid)) said();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const synced = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      const line = JSON.parse(l) as Record<string, unknown>;
      lines.push(line);
      if (line['type'] === 'state' && line['connection'] === 'push' && line['synced'] === true) resolve();
    });
  });
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 30_000));
  await Promise.race([synced, exited, timeout, saidIt]);
  const running = child.exitCode === null;
  if (running) child.kill('SIGTERM');
  const code = await exited;
  return { lines, stderr, code, running };
}

const pushed = (o: Outcome): boolean =>
  o.lines.some((l) => l['type'] === 'state' && l['connection'] === 'push' && l['synced'] === true);

describe('company certificates', () => {
  it('trusts a CA that is only in the OS store (no NODE_EXTRA_CA_CERTS)', async () => {
    const o = await headless({ SSL_CERT_FILE: caFile, SSL_CERT_DIR: emptyDir });
    expect(pushed(o), o.stderr).toBe(true);
  }, 40_000);

  it('refuses it without the CA, saying so in words, and keeps trying', async () => {
    const words =
      "The certificate of localhost is signed by an authority this computer does not trust (your company's proxy?).";
    const o = await headless({ SSL_CERT_FILE: join(dir, 'none.pem'), SSL_CERT_DIR: emptyDir }, [], words);
    expect(pushed(o)).toBe(false);
    // A local simulator's runner signs in by itself and tries again (a certificate can be
    // installed meanwhile); it does not exit on the failure.
    expect(o.running).toBe(true);
    expect(o.stderr).toContain(words);
    expect(o.stderr).not.toContain('fetch failed');
  }, 40_000);

  it('still honours NODE_EXTRA_CA_CERTS', async () => {
    const o = await headless({
      NODE_EXTRA_CA_CERTS: caFile,
      SSL_CERT_FILE: join(dir, 'none.pem'),
      SSL_CERT_DIR: emptyDir,
    });
    expect(pushed(o), o.stderr).toBe(true);
  }, 40_000);
});

describe('proxy variables of the headless runner', () => {
  it('goes through HTTPS_PROXY (a real proxy) for REST and the socket', async () => {
    const proxy = await startTinyproxy();
    try {
      const o = await headless(
        { SSL_CERT_FILE: caFile, SSL_CERT_DIR: emptyDir, HTTPS_PROXY: `http://${proxy.address}` },
        ['--proxy-loopback'],
      );
      expect(pushed(o), o.stderr).toBe(true);
      // At least the REST pool and the notification socket, each its own tunnel.
      expect(proxy.connects().filter((c) => c === `localhost:${sim.port}`).length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.stop();
    }
  }, 40_000);

  it('goes direct for a host in NO_PROXY', async () => {
    const dead = await freePort();
    const o = await headless(
      {
        SSL_CERT_FILE: caFile,
        SSL_CERT_DIR: emptyDir,
        HTTPS_PROXY: `http://127.0.0.1:${dead}`,
        NO_PROXY: 'example.com,localhost',
      },
      ['--proxy-loopback'],
    );
    expect(pushed(o), o.stderr).toBe(true);
  }, 40_000);

  it('says which proxy cannot be reached when HTTPS_PROXY points nowhere', async () => {
    const dead = await freePort();
    const words = `The proxy at 127.0.0.1:${dead} cannot be reached (ECONNREFUSED).`;
    const o = await headless(
      { SSL_CERT_FILE: caFile, SSL_CERT_DIR: emptyDir, HTTPS_PROXY: `http://127.0.0.1:${dead}` },
      ['--proxy-loopback'],
      words,
    );
    expect(pushed(o)).toBe(false);
    expect(o.stderr).toContain(words);
  }, 40_000);
});
