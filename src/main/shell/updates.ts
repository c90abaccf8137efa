// Auto-update through electron-updater, off until a publish target is configured: electron-builder
// writes `app-update.yml` into the app's resources only when electron-builder.json has a `publish`
// entry (it has `null` today). Without that file, or in development, the updater is not even
// loaded, so it costs nothing. With it, the app checks at start and every few hours, and the
// update installs on the next quit.
import { join } from 'node:path';
import { errorText } from '../../shared/errors.ts';

export interface Updater {
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface AutoUpdateOptions {
  isPackaged: boolean;
  /** The packaged app's resources folder (process.resourcesPath). */
  resourcesPath: string;
  exists(path: string): boolean;
  /** Loads electron-updater (only when updates are on). */
  loadUpdater(): Promise<Updater>;
  log(message: string): void;
  intervalMs?: number;
}

export type AutoUpdateState = 'off: development build' | 'off: no publish target configured' | 'on';

const SIX_HOURS = 6 * 3_600_000;

export async function startAutoUpdate(
  o: AutoUpdateOptions,
): Promise<{ state: AutoUpdateState; stop(): void }> {
  const off = (state: AutoUpdateState) => {
    o.log(`auto-update ${state}`);
    return { state, stop() {} };
  };
  if (!o.isPackaged) return off('off: development build');
  if (!o.exists(join(o.resourcesPath, 'app-update.yml'))) return off('off: no publish target configured');
  const updater = await o.loadUpdater();
  const check = (): void => {
    updater.checkForUpdatesAndNotify().catch((err: unknown) => {
      o.log(`auto-update check failed: ${errorText(err)}`);
    });
  };
  check();
  const timer = setInterval(check, o.intervalMs ?? SIX_HOURS);
  timer.unref?.();
  o.log('auto-update on');
  return { state: 'on', stop: () => clearInterval(timer) };
}
