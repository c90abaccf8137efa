// Composition of the main process, free of Electron: the controller (demo org or account engine),
// the tray and the popup, the IPC contract served with every call's sender checked, and the
// engine's notifications handed to the shell. Electron reaches it only through ShellPort.
import { INVOKE_CHANNELS } from '../shared/ipc/channels.ts';
import type { AppInfo } from '../shared/ipc/contract.ts';
import { createDispatcher } from '../shared/ipc/dispatcher.ts';
import type { SecretStore } from './auth/secret-store.ts';
import { AppController, type DemoOrg } from './controller.ts';
import type { NotificationOut } from './engine/notification.ts';
import { createInvokeHandlers } from './ipc/handlers.ts';
import { isTrustedSender } from './ipc/sender.ts';
import { toStateView } from './ipc/views.ts';
import { activeHold } from './engine/rules.ts';
import { appRulesFromPrefs } from './store/schema.ts';
import { trayLook } from './shell/tray-look.ts';
import type { PopupWindowPort, ShellPort, TrayPort } from './shell/ports.ts';
import type { AppStore } from './store/store.ts';

export const APP_NAME = 'Genesys Chat Tray';

export interface AppOptions {
  shell: ShellPort;
  preloadPath: string;
  store: AppStore;
  keyring(): SecretStore;
  startDemoOrg(): Promise<DemoOrg>;
}

export interface RunningApp {
  info(): AppInfo;
  controller: AppController;
  popup: PopupWindowPort;
  tray: TrayPort;
  togglePopup(): void;
  /** Resolves once the demo org or the account engine has started (or failed to). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { shell, store } = opts;
  const log = (m: string): void => shell.log(m);

  const popup = shell.createPopupWindow({
    preload: opts.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
  });

  const showPopup = (): void => popup.show();
  const controller = new AppController({
    store,
    keyring: opts.keyring,
    openBrowser: (url) => shell.openExternal(url),
    startDemoOrg: opts.startDemoOrg,
    log,
    notifier: {
      show: (n) => notify(n),
      withdraw: (ids) => shell.withdrawNotifications(ids),
    },
  });

  /** The user's default reaction from a notification button. */
  const QUICK_REACTION = '👍';

  function notify(n: NotificationOut): void {
    const prefs = store.get('prefs');
    const single = n.kind !== 'digest';
    shell.notify(
      {
        tag: single ? n.messageId : `digest:${n.chatId}`,
        title: n.title,
        body: prefs.showMessageText ? n.body : single ? 'New message' : 'New messages',
        silent: !prefs.sound,
        messageIds: n.messageIds,
        replyable: single && n.kind !== 'reaction',
        actions: [
          { id: 'mark-read', label: 'Mark read' },
          ...(single && n.kind !== 'reaction' ? [{ id: 'react' as const, label: QUICK_REACTION }] : []),
        ],
      },
      {
        click: () => {
          showPopup();
          popup.send('nav:open-chat', { chatId: n.chatId, messageId: n.messageId });
        },
        // An inline reply goes into the outbox like one typed in the popup (in the thread, if any).
        reply: (text) => {
          const engine = controller.engine;
          const chat = engine?.chat(n.chatId);
          if (!engine || !chat || !text.trim()) return;
          void engine
            .act({ kind: 'reply', chat, text, ...(n.threadId ? { threadId: n.threadId } : {}) })
            .catch((err: unknown) => log(`notification reply refused: ${String(err)}`));
        },
        action: (id) => {
          const engine = controller.engine;
          const chat = engine?.chat(n.chatId);
          if (!engine || !chat) return;
          if (id === 'mark-read') engine.markRead(n.chatId);
          else
            void engine
              .act({ kind: 'react', chat, messageId: n.messageId, emoji: QUICK_REACTION, on: true })
              .catch((err: unknown) => log(`notification reaction refused: ${String(err)}`));
        },
      },
    );
  }

  const info = (): AppInfo => ({
    name: APP_NAME,
    version: shell.appVersion,
    platform: shell.platform,
    mode: controller.mode,
    environment: controller.environment,
  });

  const dispatcher = createDispatcher(
    createInvokeHandlers({
      appInfo: info,
      controller,
      openExternal: (url) => shell.openExternal(url),
      hidePopup: () => popup.hide(),
    }),
    log,
  );
  for (const channel of INVOKE_CHANNELS) {
    shell.handleInvoke(channel, async (call, request) => {
      const result = await dispatcher.dispatch(
        channel,
        request,
        isTrustedSender(call, popup.webContentsId, shell.rendererUrl),
      );
      if (channel === 'prefs:update' && result.ok) applyPrefs();
      return result;
    });
  }

  const togglePopup = (): void => {
    if (popup.isVisible()) popup.hide();
    else popup.show();
  };
  const tray = shell.createTray('demo', `${APP_NAME} (starting)`);
  tray.onClick(togglePopup);

  /** Do not disturb from the tray: for a while, or until tomorrow morning. */
  const muteUntil = (until: number | null): void => {
    store.update('prefs', (p) => ({ ...p, dndUntil: until, ...(until === null ? { dnd: false } : {}) }));
    applyPrefs();
  };
  const refreshTray = (): void => {
    const prefs = store.get('prefs');
    const holding = activeHold(appRulesFromPrefs(prefs), Date.now()) !== undefined;
    const look = trayLook(controller.state(), { holding });
    tray.setIcon(look.icon);
    tray.setToolTip(look.tooltip);
    tray.setMenu([
      { id: 'open', label: 'Open', click: showPopup },
      holding
        ? { id: 'unmute', label: 'Turn notifications back on', click: () => muteUntil(null) }
        : { id: 'mute-hour', label: 'Mute for 1 hour', click: () => muteUntil(Date.now() + 3_600_000) },
      ...(holding
        ? []
        : [{ id: 'mute-tomorrow', label: 'Mute until tomorrow', click: () => muteUntil(tomorrowAt8()) }]),
      ...(controller.state().account
        ? [{ id: 'sign-out', label: 'Sign out', click: () => void controller.signOut().catch(() => {}) }]
        : []),
      { id: 'quit', label: `Quit ${APP_NAME}`, click: () => shell.quit() },
    ]);
  };

  let shortcut = '';
  function applyPrefs(): void {
    const prefs = store.get('prefs');
    shell.setLaunchAtLogin(prefs.launchAtLogin);
    if (prefs.shortcut !== shortcut) {
      shortcut = prefs.shortcut;
      if (shortcut && !shell.setGlobalShortcut(shortcut, togglePopup)) {
        log(`the shortcut ${shortcut} could not be registered (another app may use it)`);
      }
    }
    refreshTray();
  }
  applyPrefs();
  // Quiet hours and timed mutes begin and end by the clock.
  const clockTimer = setInterval(refreshTray, 60_000);
  clockTimer.unref?.();

  shell.onWake((why) => controller.engine?.resync(why));
  shell.onSecondInstance(showPopup);
  controller.onActivity((chatId) => popup.send('chat:activity', { chatId }));

  let lastMode = '';
  controller.onState((s) => {
    popup.send('state:changed', toStateView(s));
    refreshTray();
    const mode = `${controller.mode}|${controller.environment}`;
    if (mode !== lastMode) {
      lastMode = mode;
      popup.send('app:info-changed', info());
    }
  });

  await popup.loadRenderer();
  const ready = controller.start().then(
    () => log(`started in ${controller.mode} mode (${controller.environment})`),
    (err: unknown) => log(`start failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  return {
    info,
    controller,
    popup,
    tray,
    togglePopup,
    ready,
    async stop() {
      clearInterval(clockTimer);
      await ready;
      await controller.stop();
    },
  };
}

/** 08:00 tomorrow, local time. */
export function tomorrowAt8(now = new Date()): number {
  const t = new Date(now);
  t.setDate(t.getDate() + 1);
  t.setHours(8, 0, 0, 0);
  return t.getTime();
}
