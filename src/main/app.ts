// Composition of the main process, free of Electron: decides demo or account mode, starts the
// embedded simulator for the demo org, creates the tray and the popup, and serves the IPC contract
// with every call's sender checked. Electron reaches it only through ShellPort.
import { INVOKE_CHANNELS } from '../shared/ipc/channels.ts';
import type { AppInfo } from '../shared/ipc/contract.ts';
import { createDispatcher } from '../shared/ipc/dispatcher.ts';
import { createInvokeHandlers } from './ipc/handlers.ts';
import { isTrustedSender } from './ipc/sender.ts';
import type { PopupWindowPort, ShellPort, TrayPort } from './shell/ports.ts';

export const APP_NAME = 'Genesys Chat Tray';

/** A configured Genesys Cloud account; absent means the app runs against the demo org. */
export interface AccountConfig {
  environment: string;
}

export interface DemoOrg {
  url: string;
  close(): Promise<void>;
}

export interface AppOptions {
  shell: ShellPort;
  preloadPath: string;
  account: AccountConfig | null;
  startDemoOrg(): Promise<DemoOrg>;
}

export interface RunningApp {
  info(): AppInfo;
  popup: PopupWindowPort;
  tray: TrayPort;
  togglePopup(): void;
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { shell } = opts;
  const demo = opts.account ? null : await opts.startDemoOrg();
  const info = (): AppInfo => ({
    name: APP_NAME,
    version: shell.appVersion,
    platform: shell.platform,
    mode: demo ? 'demo' : 'account',
    environment: demo ? demo.url : (opts.account?.environment ?? ''),
  });

  const popup = shell.createPopupWindow({
    preload: opts.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
  });

  const dispatcher = createDispatcher(createInvokeHandlers({ appInfo: info }), (m) => shell.log(m));
  for (const channel of INVOKE_CHANNELS) {
    shell.handleInvoke(channel, (call, request) =>
      dispatcher.dispatch(channel, request, isTrustedSender(call, popup.webContentsId, shell.rendererUrl)),
    );
  }

  const togglePopup = (): void => {
    if (popup.isVisible()) popup.hide();
    else popup.show();
  };
  const tray = shell.createTray(demo ? 'demo' : 'idle', demo ? `${APP_NAME} (Demo)` : APP_NAME);
  tray.onClick(togglePopup);
  tray.setMenu([
    { id: 'open', label: 'Open', click: () => popup.show() },
    { id: 'quit', label: `Quit ${APP_NAME}`, click: () => shell.quit() },
  ]);

  await popup.loadRenderer();
  shell.log(`started in ${demo ? `demo mode against ${demo.url}` : 'account mode'}`);

  return {
    info,
    popup,
    tray,
    togglePopup,
    async stop() {
      await demo?.close();
    },
  };
}
