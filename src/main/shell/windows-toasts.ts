// Windows: what makes toast activations reach the app from the Action Center, also after it quit.
// The Start menu shortcut must carry the AppUserModelId and the toast activator's CLSID; the
// installer (NSIS) creates the shortcut with the id, and the app adds the CLSID at start.
import { join } from 'node:path';
import { APP_ID, TOAST_ACTIVATOR_CLSID } from '../app-id.ts';

export interface ShortcutSpec {
  path: string;
  options: { target: string; appUserModelId: string; toastActivatorClsid: string };
}

/** The per-user Start menu shortcut of the app (where NSIS puts it for a per-user install). */
export function startMenuShortcut(appData: string, productName: string, exePath: string): ShortcutSpec {
  return {
    path: join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', `${productName}.lnk`),
    options: { target: exePath, appUserModelId: APP_ID, toastActivatorClsid: TOAST_ACTIVATOR_CLSID },
  };
}

/**
 * Registers the fixed CLSID with Electron and writes it onto the Start menu shortcut (creating the
 * shortcut when a portable copy has none). Only for packaged builds: a development run has no
 * installed shortcut to point at.
 */
export function setUpWindowsToasts(io: {
  isPackaged: boolean;
  appData: string;
  productName: string;
  exePath: string;
  setToastActivatorCLSID(id: string): void;
  exists(path: string): boolean;
  writeShortcutLink(path: string, operation: 'create' | 'update', options: ShortcutSpec['options']): boolean;
  log(message: string): void;
}): void {
  io.setToastActivatorCLSID(TOAST_ACTIVATOR_CLSID);
  if (!io.isPackaged) return;
  const { path, options } = startMenuShortcut(io.appData, io.productName, io.exePath);
  const ok = io.writeShortcutLink(path, io.exists(path) ? 'update' : 'create', options);
  if (!ok)
    io.log(`could not write the toast activator onto ${path}: Action Center clicks may not reach the app`);
}
