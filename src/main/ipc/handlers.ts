// The main process's implementations of the IPC contract's invoke channels. Pure: everything it
// needs arrives through `deps`, so the same handlers serve Electron and the Chromium test bridge.
import type { AppInfo } from '../../shared/ipc/contract.ts';
import type { InvokeHandlers } from '../../shared/ipc/dispatcher.ts';

export interface HandlerDeps {
  appInfo(): AppInfo;
}

export function createInvokeHandlers(deps: HandlerDeps): InvokeHandlers {
  return {
    'app:get-info': () => deps.appInfo(),
  };
}
