// Windows toast registration: a fixed activator CLSID every run, written onto the Start menu
// shortcut (updated when the installer made one, created for a portable copy).
import { describe, expect, it } from 'vitest';
import { APP_ID, TOAST_ACTIVATOR_CLSID } from '../../../src/main/app-id.ts';
import { setUpWindowsToasts, startMenuShortcut } from '../../../src/main/shell/windows-toasts.ts';

function io(over: { isPackaged?: boolean; exists?: boolean; writes?: boolean } = {}) {
  const calls: string[] = [];
  return {
    calls,
    io: {
      isPackaged: over.isPackaged ?? true,
      appData: 'C:\\Users\\alex\\AppData\\Roaming',
      productName: 'Genesys Chat Tray',
      exePath: 'C:\\Program Files\\Genesys Chat Tray\\Genesys Chat Tray.exe',
      setToastActivatorCLSID: (id: string) => calls.push(`clsid ${id}`),
      exists: () => over.exists ?? true,
      writeShortcutLink: (
        path: string,
        op: string,
        o: { toastActivatorClsid: string; appUserModelId: string },
      ) => {
        calls.push(`${op} ${o.appUserModelId} ${o.toastActivatorClsid}`);
        return over.writes ?? true;
      },
      log: (m: string) => calls.push(`log ${m}`),
    },
  };
}

describe('Windows toast registration', () => {
  it('uses one fixed, well-formed CLSID and the app id on the Start menu shortcut', () => {
    expect(TOAST_ACTIVATOR_CLSID).toMatch(
      /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/,
    );
    const spec = startMenuShortcut('/appdata', 'Genesys Chat Tray', '/app.exe');
    expect(spec.path).toMatch(/Start Menu.Programs.Genesys Chat Tray\.lnk$/);
    expect(spec.options).toEqual({
      target: '/app.exe',
      appUserModelId: APP_ID,
      toastActivatorClsid: TOAST_ACTIVATOR_CLSID,
    });
  });

  it('updates the installer shortcut, creates one for a portable copy, and says when it cannot', () => {
    const installed = io();
    setUpWindowsToasts(installed.io);
    expect(installed.calls).toEqual([
      `clsid ${TOAST_ACTIVATOR_CLSID}`,
      `update ${APP_ID} ${TOAST_ACTIVATOR_CLSID}`,
    ]);
    const portable = io({ exists: false });
    setUpWindowsToasts(portable.io);
    expect(portable.calls[1]).toBe(`create ${APP_ID} ${TOAST_ACTIVATOR_CLSID}`);
    const refused = io({ writes: false });
    setUpWindowsToasts(refused.io);
    expect(refused.calls[2]).toMatch(/^log could not write the toast activator/);
  });

  it('in development only registers the CLSID (no installed shortcut to touch)', () => {
    const dev = io({ isPackaged: false });
    setUpWindowsToasts(dev.io);
    expect(dev.calls).toEqual([`clsid ${TOAST_ACTIVATOR_CLSID}`]);
  });
});
