// The headless runner's options and where it keeps its state: the app's folder naming on each OS
// (Electron's userData), a folder per environment, and the options that exclude each other.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/main/headless/args.ts';
import { appDataDir, defaultDataDir, environmentFolder } from '../../src/main/headless/data-dir.ts';

describe('headless data folder', () => {
  it('is named as the app’s per OS, with a folder of its own per environment', () => {
    const linux = { platform: 'linux' as const, env: {}, home: '/home/alex' };
    expect(defaultDataDir('mypurecloud.ie', linux)).toBe(
      '/home/alex/.config/Genesys Chat Tray/headless/mypurecloud.ie',
    );
    expect(appDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg');
    // A relative XDG_CONFIG_HOME is invalid by the spec, and ignored as Chromium ignores it.
    expect(appDataDir({ ...linux, env: { XDG_CONFIG_HOME: 'rel' } })).toBe('/home/alex/.config');
    expect(appDataDir({ platform: 'darwin', env: {}, home: '/Users/alex' })).toBe(
      '/Users/alex/Library/Application Support',
    );
    expect(
      appDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\alex\\AppData\\Roaming' }, home: 'x' }),
    ).toBe('C:\\Users\\alex\\AppData\\Roaming');
    expect(environmentFolder('http://127.0.0.1:4010')).toBe('http-127.0.0.1-4010');
    expect(environmentFolder('https://gw.example.com/genesys/')).toBe('https-gw.example.com-genesys');
    expect(environmentFolder('../..')).toBe('default');
  });
});

describe('headless options', () => {
  const usage = (argv: string[]): string => {
    try {
      parseArgs(argv);
    } catch (err) {
      if (err instanceof UsageError) return err.message;
      throw err;
    }
    return '';
  };

  it('defaults: a local simulator signs in by itself with memory secrets; a region prints and uses the keyring', () => {
    expect(parseArgs(['--env', 'http://127.0.0.1:4010'])).toMatchObject({
      signIn: 'auto',
      secrets: 'memory',
      port: 0,
      ephemeral: false,
    });
    expect(parseArgs(['--env', 'mypurecloud.ie', '--client-id', 'abc', '--ephemeral'])).toMatchObject({
      clientId: 'abc',
      signIn: 'print',
      secrets: 'keyring',
      port: 8765,
      ephemeral: true,
    });
  });

  it('refuses what cannot work, saying why', () => {
    expect(usage(['--env', 'mypurecloud.ie'])).toMatch(/--client-id is required for mypurecloud.ie/);
    expect(usage(['--env', 'https://gw.example.com'])).toMatch(/--client-id is required/);
    // Not a loopback simulator, whatever its prefix says.
    expect(usage(['--env', 'http://127.0.0.1.evil.example'])).toMatch(/--client-id is required/);
    expect(usage(['--env', 'mypurecloud.ie', '--client-id', 'a', '--sign-in', 'auto'])).toMatch(
      /only with a local simulator/,
    );
    expect(usage(['--env', 'http://127.0.0.1:1', '--ephemeral', '--data-dir', '/tmp/x'])).toMatch(
      /exclude each other/,
    );
    expect(usage(['--env', 'http://127.0.0.1:1', '--client-id'])).toMatch(/argument missing|--client-id/);
    expect(usage(['--env', 'http://127.0.0.1:1', '--nope'])).toMatch(/nope/);
    expect(() => parseArgs(['--help'])).toThrow(UsageError); // the usage, exit 0
  });
});
