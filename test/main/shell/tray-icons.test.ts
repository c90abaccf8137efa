// The tray and app icon files (drawn by scripts/make-icons.mjs): there for every state and OS, at
// the sizes each OS asks for, macOS template images monochrome and told apart by shape, the .ico
// containers well-formed, and the committed files exactly what the script draws today.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrayIconName } from '../../../src/main/shell/ports.ts';
import { TRAY_ICON_NAMES, trayIconFile } from '../../../src/main/shell/tray-icon-files.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const RESOURCES = join(ROOT, 'resources');
const read = (rel: string): Buffer => readFileSync(join(RESOURCES, rel));

// ---------------------------------------------------------------------------------------------
// Readers: PNG (8-bit RGBA, any filter) and ICO

interface Png {
  width: number;
  height: number;
  /** Straight RGBA, row by row. */
  rgba: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, checking signature and chunk order. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(buf.readUInt32BE(8)).toBe(13);
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function decodePng(buf: Buffer): Png {
  const { width, height } = pngSize(buf);
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  let end = false;
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    expect(buf.readUInt32BE(at + 8 + len), `CRC of ${type}`).toBe(crc32(buf.subarray(at + 4, at + 8 + len)));
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') {
      end = at + 12 + len === buf.length;
      break;
    }
    at += 12 + len;
  }
  expect(end, 'IEND closes the file').toBe(true);
  // 8 bits per channel, RGBA, deflate, adaptive filtering, no interlace.
  expect([...ihdr!.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      rgba[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

interface IcoEntry {
  /** From the directory entry: 0 there means 256. */
  width: number;
  height: number;
  png: Buffer;
}

function parseIco(buf: Buffer): IcoEntry[] {
  expect(buf.readUInt16LE(0), 'reserved').toBe(0);
  expect(buf.readUInt16LE(2), 'type 1: icon').toBe(1);
  const count = buf.readUInt16LE(4);
  expect(count).toBeGreaterThan(0);
  const entries: IcoEntry[] = [];
  const spans: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + 16 * i;
    const size = buf.readUInt32LE(at + 8);
    const offset = buf.readUInt32LE(at + 12);
    expect(buf.readUInt8(at + 3), 'entry reserved').toBe(0);
    expect(buf.readUInt16LE(at + 4), 'planes').toBe(1);
    expect(buf.readUInt16LE(at + 6), 'bits per pixel').toBe(32);
    expect(offset).toBeGreaterThanOrEqual(6 + 16 * count);
    expect(offset + size).toBeLessThanOrEqual(buf.length);
    spans.push([offset, offset + size]);
    entries.push({
      width: buf.readUInt8(at) || 256,
      height: buf.readUInt8(at + 1) || 256,
      png: buf.subarray(offset, offset + size),
    });
  }
  // Images do not overlap, and nothing but images follows the directory.
  spans.sort((a, b) => a[0] - b[0]);
  spans.forEach(([start], i) => expect(start).toBe(i === 0 ? 6 + 16 * count : spans[i - 1]![1]));
  expect(spans.at(-1)![1]).toBe(buf.length);
  for (const e of entries) {
    const { width, height } = pngSize(e.png);
    expect({ width, height }).toEqual({ width: e.width, height: e.height });
  }
  return entries;
}

/** How many pixels two same-sized images disagree on clearly (alpha differs by half or more). */
const alphaDifference = (a: Png, b: Png): number => {
  let n = 0;
  for (let i = 3; i < a.rgba.length; i += 4) if (Math.abs(a.rgba[i]! - b.rgba[i]!) >= 128) n++;
  return n;
};

const pairs = <T>(items: readonly T[]): [T, T][] =>
  items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as [T, T]));

// ---------------------------------------------------------------------------------------------

describe('tray icon files per OS', () => {
  it('names the file of every state for each OS, relative to the resources folder', () => {
    expect(trayIconFile('darwin', 'mention')).toBe('tray/mac/mentionTemplate.png');
    expect(trayIconFile('win32', 'mention')).toBe('tray/win/mention.ico');
    expect(trayIconFile('linux', 'mention')).toBe('tray/linux/mention.png');
    expect(trayIconFile('freebsd', 'dnd')).toBe('tray/linux/dnd.png');
    expect([...TRAY_ICON_NAMES].sort()).toEqual(
      ['demo', 'dnd', 'idle', 'mention', 'offline', 'signin', 'unread'].sort(),
    );
    // Electron treats an image as a template by its file name.
    for (const state of TRAY_ICON_NAMES) expect(trayIconFile('darwin', state)).toMatch(/Template\.png$/);
  });

  it.each(['darwin', 'win32', 'linux'] as const)('every state has its file on disk (%s)', (platform) => {
    for (const state of TRAY_ICON_NAMES)
      expect(existsSync(join(RESOURCES, trayIconFile(platform, state)))).toBe(true);
  });
});

describe('macOS template images', () => {
  const template = (state: TrayIconName, scale: '' | '@2x'): Png =>
    decodePng(read(trayIconFile('darwin', state).replace(/\.png$/, `${scale}.png`)));

  it('are 18 px with a 36 px @2x beside them', () => {
    for (const state of TRAY_ICON_NAMES) {
      expect(pngSize(read(`tray/mac/${state}Template.png`))).toEqual({ width: 18, height: 18 });
      expect(pngSize(read(`tray/mac/${state}Template@2x.png`))).toEqual({ width: 36, height: 36 });
    }
  });

  it('are black with alpha only, and not empty', () => {
    for (const state of TRAY_ICON_NAMES)
      for (const scale of ['', '@2x'] as const) {
        const { rgba } = template(state, scale);
        let opaque = 0;
        for (let i = 0; i < rgba.length; i += 4) {
          expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${state}${scale} pixel ${i / 4}`).toEqual([0, 0, 0]);
          if (rgba[i + 3]! >= 128) opaque++;
        }
        expect(opaque, `${state}${scale}`).toBeGreaterThan(rgba.length / 4 / 6);
      }
  });

  it('tell every state apart by shape alone, at both scales', () => {
    for (const [a, b] of pairs(TRAY_ICON_NAMES)) {
      // At least a few clearly different pixels at 1x (a badge is about 6 px across).
      expect(alphaDifference(template(a, ''), template(b, '')), `${a} vs ${b}`).toBeGreaterThanOrEqual(5);
      expect(
        alphaDifference(template(a, '@2x'), template(b, '@2x')),
        `${a} vs ${b} @2x`,
      ).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('Windows .ico tray icons', () => {
  it('hold 16, 20, 24, 32, 40 and 48 px PNGs (the notification area at 100-300 %)', () => {
    for (const state of TRAY_ICON_NAMES) {
      const entries = parseIco(read(trayIconFile('win32', state)));
      expect(entries.map((e) => e.width)).toEqual([16, 20, 24, 32, 40, 48]);
      for (const e of entries) expect(decodePng(e.png).width).toBe(e.width);
    }
  });

  it('differ by shape, not only by colour (16 px)', () => {
    const alpha16 = (state: TrayIconName) => decodePng(parseIco(read(trayIconFile('win32', state)))[0]!.png);
    for (const [a, b] of pairs(TRAY_ICON_NAMES))
      expect(alphaDifference(alpha16(a), alpha16(b)), `${a} vs ${b}`).toBeGreaterThanOrEqual(4);
  });
});

describe('Linux tray icons', () => {
  it('are 22 px with a 44 px @2x beside them, in colour', () => {
    for (const state of TRAY_ICON_NAMES) {
      const file = trayIconFile('linux', state);
      expect(pngSize(read(file))).toEqual({ width: 22, height: 22 });
      const hi = decodePng(read(file.replace(/\.png$/, '@2x.png')));
      expect([hi.width, hi.height]).toEqual([44, 44]);
      const coloured = hi.rgba.some((v, i) => i % 4 !== 3 && v !== 0 && hi.rgba[i - (i % 4) + 3]! > 0);
      expect(coloured, state).toBe(true);
    }
  });
});

describe('app icons and the original tray icons', () => {
  it('has PNG app icons from 16 to 512 px for Linux packages, each its own size', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512])
      expect(pngSize(read(`icons/${size}x${size}.png`))).toEqual({ width: size, height: size });
  });

  it('has a Windows app icon from 16 to 256 px (installers want the 256)', () => {
    const entries = parseIco(read('icon.ico'));
    expect(entries.map((e) => e.width)).toEqual([16, 20, 24, 32, 40, 48, 64, 128, 256]);
  });

  it('keeps icon.png (512 px) for macOS and the window icon', () => {
    expect(pngSize(read('icon.png'))).toEqual({ width: 512, height: 512 });
  });
});

describe('scripts/make-icons.mjs', () => {
  const out = mkdtempSync(join(tmpdir(), 'gct-icons-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const files = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
      .sort();

  /** Same image content: the pixels and sizes, whatever the compressor's exact bytes. */
  const samePixels = (a: Buffer, b: Buffer, rel: string): void => {
    if (rel.endsWith('.ico')) {
      const [ea, eb] = [parseIco(a), parseIco(b)];
      expect(ea.map((e) => e.width)).toEqual(eb.map((e) => e.width));
      ea.forEach((e, i) => expect(decodePng(e.png)).toEqual(decodePng(eb[i]!.png)));
    } else expect(decodePng(a)).toEqual(decodePng(b));
  };

  it('draws exactly the committed files (run it after changing the drawing)', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/make-icons.mjs'), '--out', out], { stdio: 'pipe' });
    const made = files(out);
    expect(made).toEqual(files(RESOURCES));
    expect(made).toHaveLength(7 * (2 + 1 + 2) + 1 + 1 + 7); // mac, win, linux per state; icon.png/.ico; app PNGs
    const differ: string[] = [];
    for (const rel of made) {
      const [fresh, committed] = [readFileSync(join(out, rel)), read(rel)];
      if (fresh.equals(committed)) continue;
      // Another zlib build may compress differently; the images must still be identical.
      samePixels(fresh, committed, rel);
      differ.push(rel);
    }
    if (differ.length)
      console.warn(`icons equal in pixels but not bytes (zlib differs?): ${differ.join(', ')}`);
  });

  it('refuses unknown options', () => {
    expect(() =>
      execFileSync(process.execPath, [join(ROOT, 'scripts/make-icons.mjs'), '--outt', out], {
        stdio: 'pipe',
      }),
    ).toThrow(/usage/);
  });
});
