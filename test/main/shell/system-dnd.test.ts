// Reading the OS's do-not-disturb: the parsers of each source, the per-OS probe with its commands
// run by a fake runner, and the polling that reports only changes.
import { describe, expect, it } from 'vitest';
import {
  parseGnomeShowBanners,
  parseInhibited,
  parseMacAssertions,
  systemDndProbe,
} from '../../../src/main/shell/system-dnd.ts';
import { watchChanges } from '../../../src/main/shell/watch-changes.ts';

describe('system do-not-disturb', () => {
  it('parses GNOME banners, the freedesktop Inhibited property and macOS Focus assertions', () => {
    expect(parseGnomeShowBanners('false\n')).toBe(true);
    expect(parseGnomeShowBanners('true\n')).toBe(false);
    expect(parseGnomeShowBanners('No such schema')).toBeNull();
    expect(parseInhibited('(<true>,)\n')).toBe(true);
    expect(parseInhibited('(<false>,)')).toBe(false);
    expect(parseInhibited('Error: org.freedesktop.DBus.Error.ServiceUnknown')).toBeNull();
    const on = JSON.stringify({ data: [{ storeAssertionRecords: [{ assertionDetails: {} }] }] });
    expect(parseMacAssertions(on)).toBe(true);
    expect(parseMacAssertions(JSON.stringify({ data: [{ storeAssertionRecords: [] }] }))).toBe(false);
    expect(parseMacAssertions(JSON.stringify({ data: [{}] }))).toBe(false);
    expect(parseMacAssertions('{not json')).toBeNull();
    expect(parseMacAssertions('[]')).toBeNull();
  });

  it('on Linux asks GNOME first, then the notification server; unknown when neither answers', async () => {
    const calls: string[] = [];
    const answers: Record<string, string | Error> = {};
    const probe = systemDndProbe('linux', {
      run: async (cmd) => {
        calls.push(cmd);
        const a = answers[cmd];
        if (a instanceof Error || a === undefined) throw a ?? new Error('not installed');
        return a;
      },
      readFile: async () => {
        throw new Error('unused');
      },
    });
    answers['gsettings'] = 'false';
    expect(await probe()).toBe(true);
    expect(calls).toEqual(['gsettings']);

    answers['gsettings'] = 'true';
    answers['gdbus'] = '(<true>,)';
    expect(await probe()).toBe(true); // KDE-style inhibition while GNOME banners are on
    answers['gdbus'] = '(<false>,)';
    expect(await probe()).toBe(false);

    delete answers['gsettings'];
    delete answers['gdbus'];
    expect(await probe()).toBeNull();
  });

  it('on macOS reads the Focus assertions file; on Windows it cannot tell', async () => {
    const read: string[] = [];
    const mac = systemDndProbe('darwin', {
      home: '/Users/alex',
      run: async () => '',
      readFile: async (f) => {
        read.push(f);
        return JSON.stringify({ data: [{ storeAssertionRecords: [{}] }] });
      },
    });
    expect(await mac()).toBe(true);
    expect(read).toEqual(['/Users/alex/Library/DoNotDisturb/DB/Assertions.json']);
    const missing = systemDndProbe('darwin', {
      run: async () => '',
      readFile: async () => {
        throw new Error('ENOENT');
      },
    });
    expect(await missing()).toBeNull();
    const win = systemDndProbe('win32', { run: async () => 'x', readFile: async () => 'x' });
    expect(await win()).toBeNull();
  });

  it('reports only changes, and keeps the last value when a reading is unknown or fails', async () => {
    const readings: (boolean | null | Error)[] = [false, true, null, true, new Error('gone'), false];
    const seen: boolean[] = [];
    const watch = watchChanges(
      () => {
        if (readings.length === 0) return false;
        const r = readings.shift()!;
        if (r instanceof Error) throw r;
        return r;
      },
      (v) => seen.push(v),
      { intervalMs: 60_000, initial: false },
    );
    for (let i = 0; i < 6; i++) await watch.check();
    watch.stop();
    expect(seen).toEqual([true, false]);
  });
});
