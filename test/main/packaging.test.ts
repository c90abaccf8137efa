// The packaged-build configuration (electron-builder.json), checked with electron-builder's own
// schema and for what the app needs: installers per OS, the Electron fuses, no auto-update until
// a publish target exists, and the native keyring module outside the asar.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/main/app-id.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('packaged-build configuration', () => {
  it("passes electron-builder's own validation (and a typo would not)", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const resolved = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(resolved, new DebugLogger(false))).resolves.toBeUndefined();
    const typo = { ...resolved, electronFuses: { ...resolved.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration/,
    );
  });

  it('builds an NSIS installer, a dmg, an AppImage and a deb, with the app id and icons', () => {
    // Windows routes toast activations by this id: the app sets the same one at start.
    expect(config['appId']).toBe(APP_ID);
    expect(config['win'].target).toEqual(['nsis']);
    expect(config['mac'].target).toEqual(['dmg']);
    expect(config['linux'].target).toEqual(['AppImage', 'deb']);
    for (const os of ['win', 'mac', 'linux']) expect(existsSync(join(ROOT, config[os].icon))).toBe(true);
    // A tray app: no Dock icon on macOS.
    expect(config['mac'].extendInfo.LSUIElement).toBe(true);
    expect(config['deb'].depends).toContain('libsecret-1-0');
  });

  it('sets the Electron fuses that close the usual doors', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config['asar']).toBe(true);
  });

  it('ships the built app and its resources, keeps the native keyring module unpacked, and publishes nowhere', () => {
    expect(config['files']).toEqual(expect.arrayContaining(['out/**', 'resources/**', 'package.json']));
    expect(config['asarUnpack']).toContain('node_modules/keytar/**');
    expect(config['publish']).toBeNull();
  });
});
