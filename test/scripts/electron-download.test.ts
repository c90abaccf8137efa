// The decisions of the start path's Electron guard, on their own: where the binary is, which
// proxy settings Electron's installer gets, what its output says, and the message a user reads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary, platformExecutable } from '../../scripts/electron-binary.mjs';
import {
  commandName,
  describeFetchError,
  failureMessage,
  installerEnv,
  readInstallerOutput,
  redactUrl,
  skipDownloadFlag,
} from '../../scripts/electron-download.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'gct-electron-binary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function electronPackage(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('finding the Electron binary without requiring electron', () => {
  it('finds none in a package as npm installs it (no path.txt)', () => {
    const dir = electronPackage('fresh', {});
    expect(findElectronBinary(dir, {}, 'linux')).toEqual({
      missing: `${join(dir, 'path.txt')} is missing (the binary was never downloaded)`,
    });
  });

  it('finds the one the installer unpacked, when it is the package version', () => {
    const dir = electronPackage('installed', {
      'path.txt': 'electron',
      'dist/electron': '',
      'dist/version': '45.4.1',
    });
    expect(findElectronBinary(dir, {}, 'linux')).toEqual({
      path: join(dir, 'dist', 'electron'),
      via: 'node_modules/electron',
    });
  });

  it('does not take a binary of another version (the package was upgraded)', () => {
    const dir = electronPackage('stale', {
      'path.txt': 'electron',
      'dist/electron': '',
      'dist/version': 'v44.0.0',
    });
    expect(findElectronBinary(dir, {}, 'linux')).toMatchObject({
      missing: expect.stringMatching(/44\.0\.0, not 45\.4\.1/),
    });
  });

  it('follows ELECTRON_EXEC_PATH and ELECTRON_OVERRIDE_DIST_PATH, and says when they point nowhere', () => {
    const dir = electronPackage('override', {});
    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'electron'), '');
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere }, 'linux')).toEqual({
      path: join(elsewhere, 'electron'),
      via: 'ELECTRON_OVERRIDE_DIST_PATH',
    });
    expect(
      findElectronBinary(dir, { ELECTRON_EXEC_PATH: join(elsewhere, 'electron') }, 'linux'),
    ).toMatchObject({
      via: 'ELECTRON_EXEC_PATH',
    });
    expect(findElectronBinary(dir, { ELECTRON_EXEC_PATH: join(scratch, 'nope') }, 'linux')).toMatchObject({
      override: true,
    });
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'nope') }, 'darwin')).toEqual(
      {
        missing: `ELECTRON_OVERRIDE_DIST_PATH has no ${join(scratch, 'nope', 'Electron.app/Contents/MacOS/Electron')}`,
        override: true,
      },
    );
  });

  it('knows each platform executable', () => {
    expect(['linux', 'darwin', 'win32', 'freebsd'].map(platformExecutable)).toEqual([
      'electron',
      'Electron.app/Contents/MacOS/Electron',
      'electron.exe',
      'electron',
    ]);
  });
});

describe("the environment of Electron's installer", () => {
  it.each([undefined, '', '0', 'false', 'FALSE'])(
    'ELECTRON_SKIP_BINARY_DOWNLOAD=%j does not stop a download',
    (v) => {
      expect(skipDownloadFlag({ ELECTRON_SKIP_BINARY_DOWNLOAD: v })).toBeNull();
    },
  );

  it.each(['1', 'true'])('ELECTRON_SKIP_BINARY_DOWNLOAD=%s does', (v) => {
    expect(skipDownloadFlag({ ELECTRON_SKIP_BINARY_DOWNLOAD: v })).toBe(v);
  });

  it('turns the downloader proxy on for any proxy setting, carrying older names over', () => {
    expect(installerEnv({}).env.ELECTRON_GET_USE_PROXY).toBeUndefined();
    expect(installerEnv({ HTTPS_PROXY: 'http://p:1' }).env).toMatchObject({ ELECTRON_GET_USE_PROXY: '1' });
    expect(installerEnv({ https_proxy: 'http://p:1' }).env).toMatchObject({ ELECTRON_GET_USE_PROXY: '1' });
    expect(installerEnv({ GLOBAL_AGENT_HTTPS_PROXY: 'http://g:1' }).env).toMatchObject({
      HTTPS_PROXY: 'http://g:1',
      ELECTRON_GET_USE_PROXY: '1',
    });
    expect(
      installerEnv({ npm_config_https_proxy: 'http://n:1', npm_config_noproxy: 'corp.example' }).env,
    ).toMatchObject({
      HTTPS_PROXY: 'http://n:1',
      NO_PROXY: 'corp.example',
      ELECTRON_GET_USE_PROXY: '1',
    });
    // An explicit HTTPS_PROXY wins over the older names, and an explicit switch is kept.
    expect(
      installerEnv({ HTTPS_PROXY: 'http://a:1', GLOBAL_AGENT_HTTPS_PROXY: 'http://b:1' }).env.HTTPS_PROXY,
    ).toBe('http://a:1');
    expect(
      installerEnv({ HTTPS_PROXY: 'http://a:1', ELECTRON_GET_USE_PROXY: 'true' }).env.ELECTRON_GET_USE_PROXY,
    ).toBe('true');
  });

  it('says which proxy it uses without its password, and asks the downloader to name its URL', () => {
    const { env, notes } = installerEnv({
      HTTPS_PROXY: 'http://alex:s3cret@proxy.corp:3128',
      DEBUG: 'app:*',
    });
    expect(notes).toEqual(['through the proxy http://***@proxy.corp:3128/']);
    expect(notes.join()).not.toContain('s3cret');
    expect(env.DEBUG).toBe('app:*,@electron/get:index');
    expect(redactUrl('not a url //user:pw@host')).toBe('not a url //***@host');
  });
});

describe("reading the installer's failure", () => {
  it('takes the URL from the downloader and the error without its stack', () => {
    const stderr = [
      '2026-12-02T20:00:00.000Z @electron/get:index Checking the cache (/c) for electron-v45.4.1-linux-x64.zip (https://m.example/v45.4.1/electron-v45.4.1-linux-x64.zip)',
      '2026-12-02T20:00:00.001Z @electron/get:index Cache miss',
      '2026-12-02T20:00:00.002Z @electron/get:index Downloading https://m.example/v45.4.1/electron-v45.4.1-linux-x64.zip to /tmp/x/electron.zip with options: {}',
      'TypeError: fetch failed',
      '    at node:internal/deps/undici/undici:13502:13',
      '    at async FetchDownloader.download (file:///x/FetchDownloader.js:46:30)',
      '',
    ].join('\n');
    expect(readInstallerOutput(stderr)).toEqual({
      url: 'https://m.example/v45.4.1/electron-v45.4.1-linux-x64.zip',
      error: 'TypeError: fetch failed',
    });
    expect(readInstallerOutput('')).toEqual({ url: null, error: null });
  });

  it("digs the reason out of Node's fetch error", () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4'), { code: 'ECONNREFUSED' }),
    });
    expect(describeFetchError(refused)).toBe('connect ECONNREFUSED 127.0.0.1:4');
    const both = new TypeError('fetch failed', {
      cause: new AggregateError([new Error('connect ETIMEDOUT 10.0.0.1:443')], 'all addresses failed'),
    });
    expect(describeFetchError(both)).toBe('all addresses failed: connect ETIMEDOUT 10.0.0.1:443');
    expect(describeFetchError(new Error('fetch failed'))).toBe('fetch failed');
  });
});

describe('the message', () => {
  const base = { version: '45.4.1', platform: 'linux', arch: 'x64', command: 'npm start' };

  it('names what failed, where, and every way on', () => {
    const text = failureMessage({
      ...base,
      skipFlag: null,
      error: 'TypeError: fetch failed',
      url: 'https://u:p@m.example/v45.4.1/electron-v45.4.1-linux-x64.zip',
      probe: 'getaddrinfo ENOTFOUND m.example',
    });
    expect(text).toContain('Electron 45.4.1 (linux-x64) is not installed, and downloading it failed.');
    expect(text).toContain("Electron's installer said: TypeError: fetch failed");
    expect(text).toContain('The download: https://***@m.example/v45.4.1/electron-v45.4.1-linux-x64.zip');
    expect(text).toContain('Connecting to it now: getaddrinfo ENOTFOUND m.example');
    expect(text).toContain('ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy.example.com:8080 npm start');
    expect(text).toContain('ELECTRON_MIRROR=https://mirror.example.com/electron/ npm start');
    expect(text).toContain('ELECTRON_OVERRIDE_DIST_PATH=/that/folder npm start');
    expect(text).toContain('https://github.com/electron/electron/releases/tag/v45.4.1');
    expect(text).not.toContain('u:p@');
  });

  it('names the flag when ELECTRON_SKIP_BINARY_DOWNLOAD stopped it, without claiming a failed download', () => {
    const text = failureMessage({ ...base, command: 'npm run dev', skipFlag: 'true' });
    expect(text).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=true says not to download it.');
    expect(text).toContain('To download it now: ELECTRON_SKIP_BINARY_DOWNLOAD= npm run dev');
    expect(text).not.toContain('downloading it failed');
  });

  it('speaks of the command the user ran', () => {
    expect(commandName({ npm_lifecycle_event: 'start' })).toBe('npm start');
    expect(commandName({ npm_lifecycle_event: 'dist:linux' })).toBe('npm run dist:linux');
    expect(commandName({})).toBe('node scripts/ensure-electron.mjs');
  });
});
