// The app's tray icon: its look, count and menu follow the engine's state and the mute
// preferences; its menu's commands open the popup, mute, open Settings, sign out and quit.
import type { AppController } from './controller.ts';
import { activeHold } from './engine/rules.ts';
import type { ShellPort, TrayPort } from './shell/ports.ts';
import { trayLook } from './shell/tray-look.ts';
import { trayMenu, type TrayCommand } from './shell/tray-menu.ts';
import { appRulesFromPrefs } from './store/schema.ts';
import type { AppStore } from './store/store.ts';

export interface TrayControlOptions {
  shell: ShellPort;
  store: AppStore;
  controller: AppController;
  appName: string;
  showPopup(): void;
  togglePopup(): void;
  openSettings(): void;
  /** The preferences changed here (a mute): the app applies them, which refreshes the tray. */
  prefsChanged(): void;
}

export interface TrayControl {
  tray: TrayPort;
  /** Shows the current state, count and menu. */
  refresh(): void;
}

export function startTrayControl(opts: TrayControlOptions): TrayControl {
  const { shell, store, controller, appName } = opts;
  const tray = shell.createTray('demo', `${appName} (starting)`);
  tray.onClick(opts.togglePopup);

  /** Do not disturb from the tray: for a while, or until tomorrow morning. */
  const muteUntil = (until: number | null): void => {
    store.update('prefs', (p) => ({ ...p, dndUntil: until, ...(until === null ? { dnd: false } : {}) }));
    opts.prefsChanged();
  };
  const commands: Record<TrayCommand, () => void> = {
    open: opts.showPopup,
    'mute-hour': () => muteUntil(Date.now() + 3_600_000),
    'mute-tomorrow': () => muteUntil(tomorrowAt8()),
    unmute: () => muteUntil(null),
    settings: opts.openSettings,
    'sign-out': () => void controller.signOut().catch(() => {}),
    quit: () => shell.quit(),
  };
  const refresh = (): void => {
    const prefs = store.get('prefs');
    const appHold = activeHold(appRulesFromPrefs(prefs), Date.now()) !== undefined;
    const state = controller.state();
    const look = trayLook(state, { holding: appHold || controller.systemDoNotDisturb });
    tray.setIcon(look.icon);
    tray.setToolTip(look.tooltip);
    tray.setCount(
      state.connection === 'signed-out' || state.connection === 'needs-sign-in'
        ? 0
        : state.unread + (state.interactions?.waiting ?? 0),
    );
    tray.setMenu(
      trayMenu({ holding: appHold, signedIn: state.account !== null, appName }).map((entry) => ({
        ...entry,
        click: commands[entry.id],
      })),
    );
  };
  return { tray, refresh };
}

/** 08:00 tomorrow, local time. */
function tomorrowAt8(now = new Date()): number {
  const t = new Date(now);
  t.setDate(t.getDate() + 1);
  t.setHours(8, 0, 0, 0);
  return t.getTime();
}
