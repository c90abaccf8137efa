// Whether the OS's own do-not-disturb (focus mode) is on, where it can be read without native code:
//   Linux  GNOME's `show-banners` setting, or the freedesktop notification server's `Inhibited`
//          property (KDE, and servers that implement it), over the session bus;
//   macOS  a Focus turned on by hand (the assertions file the Focus system keeps);
//   Windows Focus Assist has no readable state without native code; Windows itself keeps the
//          toasts it hides in the Action Center, so nothing is lost there.
// The parsers are pure and tested; the probe runs commands through an injected runner.
import { homedir } from 'node:os';
import { join } from 'node:path';

export type CommandRunner = (command: string, args: string[]) => Promise<string>;
export type FileReader = (path: string) => Promise<string>;

/** `gsettings get org.gnome.desktop.notifications show-banners` → DND is on when banners are off. */
export function parseGnomeShowBanners(output: string): boolean | null {
  const v = output.trim();
  if (v === 'false') return true;
  if (v === 'true') return false;
  return null;
}

/** `gdbus call … Properties.Get org.freedesktop.Notifications Inhibited` → `(<true>,)`. */
export function parseInhibited(output: string): boolean | null {
  const m = /^\(<(true|false)>,?\)$/.exec(output.trim());
  return m ? m[1] === 'true' : null;
}

/**
 * macOS: `~/Library/DoNotDisturb/DB/Assertions.json`; a Focus switched on by hand leaves a record
 * in `data[].storeAssertionRecords`. Unknown shapes read as "not known".
 */
export function parseMacAssertions(json: string): boolean | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isRecord(doc) || !Array.isArray(doc['data'])) return null;
  return doc['data'].some(
    (entry) =>
      isRecord(entry) &&
      Array.isArray(entry['storeAssertionRecords']) &&
      entry['storeAssertionRecords'].length > 0,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the OS's do-not-disturb once: true/false, or null when this OS or desktop cannot tell. */
export type SystemDndProbe = () => Promise<boolean | null>;

export function systemDndProbe(
  platform: NodeJS.Platform,
  io: { run: CommandRunner; readFile: FileReader; home?: string },
): SystemDndProbe {
  if (platform === 'linux') {
    return async () => {
      const gnome = await io
        .run('gsettings', ['get', 'org.gnome.desktop.notifications', 'show-banners'])
        .then(parseGnomeShowBanners, () => null);
      if (gnome) return true;
      const inhibited = await io
        .run('gdbus', [
          'call',
          '--session',
          '--dest',
          'org.freedesktop.Notifications',
          '--object-path',
          '/org/freedesktop/Notifications',
          '--method',
          'org.freedesktop.DBus.Properties.Get',
          'org.freedesktop.Notifications',
          'Inhibited',
        ])
        .then(parseInhibited, () => null);
      return inhibited ?? gnome;
    };
  }
  if (platform === 'darwin') {
    const file = join(io.home ?? homedir(), 'Library', 'DoNotDisturb', 'DB', 'Assertions.json');
    return () => io.readFile(file).then(parseMacAssertions, () => null);
  }
  return async () => null;
}
