// Which file the tray shows for a state on each OS, relative to the resources folder (the files
// are drawn by scripts/make-icons.mjs). Pure, so the mapping is tested without Electron.
//
// - macOS: 18 pt template images (`<state>Template.png`, black + alpha). Electron marks an image
//   loaded from a name ending in "Template" as a template, so macOS tints it for the menu bar's
//   appearance, and it loads `<state>Template@2x.png` beside it for Retina screens.
// - Windows: an .ico holding 16-48 px, so the notification area picks the size of its DPI scale.
// - Linux and the rest: 22 px PNGs for StatusNotifierItem / AppIndicator hosts, with @2x beside.
import type { TrayIconName } from './ports.ts';

const ALL: Record<TrayIconName, true> = {
  idle: true,
  unread: true,
  mention: true,
  offline: true,
  signin: true,
  dnd: true,
  demo: true,
};

/** Every tray state, for callers (and tests) that go through them all. */
export const TRAY_ICON_NAMES = Object.keys(ALL) as readonly TrayIconName[];

export function trayIconFile(platform: NodeJS.Platform, state: TrayIconName): string {
  switch (platform) {
    case 'darwin':
      return `tray/mac/${state}Template.png`;
    case 'win32':
      return `tray/win/${state}.ico`;
    default:
      return `tray/linux/${state}.png`;
  }
}
