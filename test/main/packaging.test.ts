// The packaged-build configuration (electron-builder.json), checked with electron-builder's own
// schema and for what the app needs: installers per OS, the Electron fuses, no auto-update until
// a publish target exists, and the native keyring module outside the asar.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/main/app-id.ts';
import { TRAY_ICON_NAMES, trayIconFile } from '../../src/main/shell/tray-icon-files.ts';

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

  it("gives each OS's packager an icon it takes: an .ico with 256 px, a PNG set, a 512 px PNG", async () => {
    const { convertIcon } = require('app-builder-lib/out/util/iconConverter.js');
    // electron-builder's own resolution; for an .ico and a PNG set it only reads the files.
    const resolve = async (icon: string, format: 'ico' | 'set') =>
      (await convertIcon({
        sources: [icon],
        fallbackSources: [],
        roots: [join(ROOT, 'resources'), ROOT],
        format,
        outDir: join(ROOT, 'dist', `.icon-${format}`),
      })) as { icons: { file: string; size: number }[]; isFallback: boolean };
    const win = await resolve(config['win'].icon, 'ico');
    expect(win.isFallback).toBe(false);
    expect(win.icons).toEqual([{ file: join(ROOT, 'resources/icon.ico'), size: 256 }]);
    const linux = await resolve(config['linux'].icon, 'set');
    expect(linux.isFallback).toBe(false);
    expect(linux.icons.map((i) => [i.size, i.file])).toEqual(
      [16, 32, 48, 64, 128, 256, 512].map((n) => [n, join(ROOT, `resources/icons/${n}x${n}.png`)]),
    );
    // macOS: electron-builder makes the .icns from a PNG of at least 512 px.
    const mac = readFileSync(join(ROOT, config['mac'].icon));
    expect(config['mac'].icon).toMatch(/\.png$/);
    expect(Math.min(mac.readUInt32BE(16), mac.readUInt32BE(20))).toBeGreaterThanOrEqual(512);
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

  it('packs the tray icon of every state for every OS into the app (resources/ is also buildResources)', () => {
    const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js');
    // electron-builder's own filter for the app's files; it excludes buildResources unless listed.
    const shipped = (cfg: Record<string, unknown>) => {
      const packager = {
        info: {
          projectDir: ROOT,
          buildResourcesDir: join(ROOT, 'resources'),
          config: cfg,
          isPrepackedAppAsar: false,
          debugLogger: { isEnabled: false },
        },
      };
      const [matcher] = getMainFileMatchers(
        ROOT,
        '/app',
        (s: string) => s,
        {},
        packager,
        join(ROOT, 'dist'),
        false,
      );
      const filter = matcher.createFilter();
      return (rel: string) => filter(join(ROOT, rel), { isDirectory: () => false }) as boolean;
    };
    const files = shipped(config);
    const trayFiles = (['darwin', 'win32', 'linux'] as const).flatMap((os) =>
      TRAY_ICON_NAMES.map((state) => `resources/${trayIconFile(os, state)}`),
    );
    for (const rel of trayFiles) {
      expect(existsSync(join(ROOT, rel)), rel).toBe(true);
      expect(files(rel), rel).toBe(true);
    }
    expect(files('resources/tray/mac/mentionTemplate@2x.png')).toBe(true);
    expect(files('resources/tray/linux/mention@2x.png')).toBe(true);
    expect(files('src/main/app.ts')).toBe(false);
    // The check is real: without resources/** in `files`, the icons would be left out.
    const without = shipped({ ...config, files: ['out/**', 'package.json'] });
    expect(trayFiles.filter(without)).toEqual([]);
  });
});
