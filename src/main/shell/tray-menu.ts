// The tray's context menu for the current state, as data: open (also how Linux users open the
// popup, where tray clicks are unreliable), do not disturb for an hour or until tomorrow (or back
// on), settings, sign out when signed in, quit. Pure; the shell draws it.
export type TrayCommand =
  'open' | 'mute-hour' | 'mute-tomorrow' | 'unmute' | 'settings' | 'sign-out' | 'quit';

export interface TrayMenuEntry {
  id: TrayCommand;
  label: string;
}

export function trayMenu(s: { holding: boolean; signedIn: boolean; appName: string }): TrayMenuEntry[] {
  return [
    { id: 'open', label: `Open ${s.appName}` },
    ...(s.holding
      ? [{ id: 'unmute' as const, label: 'Turn notifications back on' }]
      : [
          { id: 'mute-hour' as const, label: 'Mute for 1 hour' },
          { id: 'mute-tomorrow' as const, label: 'Mute until tomorrow' },
        ]),
    { id: 'settings', label: 'Settings…' },
    ...(s.signedIn ? [{ id: 'sign-out' as const, label: 'Sign out' }] : []),
    { id: 'quit', label: `Quit ${s.appName}` },
  ];
}
