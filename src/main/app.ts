// Composition of the main process, free of Electron: the controller (demo org or account engine),
// the tray and the popup, the IPC contract served with every call's sender checked, the engine's
// notifications handed to the shell and their activations routed back, and the OS's signals
// (wake, network, do-not-disturb, second launch). Electron reaches it only through ShellPort.
import { INVOKE_CHANNELS, type EventChannel } from '../shared/ipc/channels.ts';
import { eventChannels, type AppInfo, type EventOf } from '../shared/ipc/contract.ts';
import { createDispatcher } from '../shared/ipc/dispatcher.ts';
import type { SecretStore } from './auth/secret-store.ts';
import { AppController, type DemoOrg } from './controller.ts';
import { createInvokeHandlers } from './ipc/handlers.ts';
import { isTrustedSender } from './ipc/sender.ts';
import { Network } from './net/network.ts';
import type { SystemProxyResolver } from './net/sources.ts';
import { toStateView } from './ipc/views.ts';
import { routeActivation } from './notify/activation.ts';
import { InteractionsAdapter } from './messaging/interactions-port.ts';
import { desktopNotification, SESSION_ENDED_TAG } from './notify/desktop.ts';
import { PopupHost } from './shell/popup-host.ts';
import type { NotificationActivation, NotificationTarget, ShellPort, TrayPort } from './shell/ports.ts';
import { sessionEndedNotice } from './session-ended-notice.ts';
import { startTrayControl } from './tray-control.ts';
import type { AppStore } from './store/store.ts';
import { errorText } from '../shared/errors.ts';

export const APP_NAME = 'Genesys Chat Tray';

export interface AppOptions {
  shell: ShellPort;
  preloadPath: string;
  store: AppStore;
  keyring(): SecretStore;
  startDemoOrg(): Promise<DemoOrg>;
  /** The system's proxy list per URL (Electron: `session.resolveProxy`); absent: no system proxy. */
  systemProxy?: SystemProxyResolver;
  /** Tests only: proxy loopback addresses too (Chromium's `<-loopback>`), to put a proxy before a local simulator. */
  proxyLoopback?: boolean;
  /** How long the popup stays hidden before its renderer is released (default 5 minutes; 0 never). */
  popupReleaseMs?: number;
}

/** Hidden this long, the popup's renderer is released to save memory. */
export const POPUP_RELEASE_MS = 5 * 60_000;

export interface RunningApp {
  info(): AppInfo;
  controller: AppController;
  popup: PopupHost;
  tray: TrayPort;
  togglePopup(): void;
  /** Resolves once the demo org or the account engine has started (or failed to). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { shell, store } = opts;
  const log = (m: string): void => shell.log(m);

  const popup = new PopupHost({
    shell,
    prefs: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
    releaseAfterMs: opts.popupReleaseMs ?? POPUP_RELEASE_MS,
    log,
  });

  /** Every event to the renderer is checked against the contract before it leaves. */
  function emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void {
    const checked = eventChannels[channel].safeParse(payload);
    if (!checked.success) {
      log(`ipc: not sending a malformed ${channel} event: ${checked.error.message}`);
      return;
    }
    popup.send(channel, checked.data);
  }

  const showPopup = (): void => popup.show();
  const openChat = (target: NotificationTarget, compose: boolean): void => {
    popup.show();
    emit('nav:open-chat', { ...target, ...(compose ? { compose: true } : {}) });
  };
  const openInteraction = (conversationId: string, compose: boolean): void => {
    popup.show();
    emit('nav:open-interaction', { conversationId, ...(compose ? { compose: true } : {}) });
  };
  const openSettings = (): void => {
    popup.show();
    emit('nav:open-settings', {});
  };

  // Every connection to Genesys Cloud: the system's proxy (or the one in Settings), proxy sign-in
  // with credentials in the keyring, and the OS's certificate store.
  let proxySetting = store.get('prefs').proxy;
  const network = new Network({
    ...(opts.systemProxy ? { system: opts.systemProxy } : {}),
    explicit: proxySetting,
    secrets: opts.keyring(),
    ...(opts.proxyLoopback ? { proxyLoopback: true } : {}),
    log,
  });

  const controller = new AppController({
    store,
    network,
    keyring: opts.keyring,
    openBrowser: (url) => shell.openExternal(url),
    startDemoOrg: opts.startDemoOrg,
    log,
    notifier: {
      show: (n) => {
        const desktop = desktopNotification(n, store.get('prefs'));
        const activate = (a: NotificationActivation): void => route(a);
        shell.notify(desktop, {
          click: () => activate({ ...desktop.target, kind: 'click' }),
          reply: (text) => activate({ ...desktop.target, kind: 'reply', text }),
          action: (id) => activate({ ...desktop.target, kind: 'action', id }),
        });
      },
      withdraw: (ids) => shell.withdrawNotifications(ids),
    },
  });

  // macOS and Windows reply inside the notification; elsewhere a click opens the reply box.
  const inlineReply = shell.platform === 'darwin' || shell.platform === 'win32';
  const route = (a: NotificationActivation): void => {
    if (a.chatId === SESSION_ENDED_TAG) return showPopup(); // "session ended": the sign-in view
    routeActivation(a, { engine: () => controller.engine, openChat, openInteraction, inlineReply, log });
  };

  const info = (): AppInfo => ({
    name: APP_NAME,
    version: shell.appVersion,
    platform: shell.platform,
    mode: controller.mode,
    environment: controller.environment,
  });

  const interactions = new InteractionsAdapter(() => controller.engine?.messaging() ?? null);
  const dispatcher = createDispatcher(
    createInvokeHandlers({
      appInfo: info,
      controller,
      openExternal: (url) => shell.openExternal(url),
      hidePopup: () => popup.hide(),
      copyText: (text) => shell.copyText(text),
      proxySignIn: (req) => controller.signInToProxy(req),
      prefsChanged: () => applyPrefs(),
      interactions: () => (controller.engine?.messaging() ? interactions : null),
      log,
    }),
    log,
  );
  for (const channel of INVOKE_CHANNELS) {
    shell.handleInvoke(channel, async (call, request) => {
      const popupId = popup.webContentsId;
      const trusted = popupId !== null && isTrustedSender(call, popupId, shell.rendererUrl);
      return dispatcher.dispatch(channel, request, trusted);
    });
  }

  const togglePopup = (): void => popup.toggle();
  const { tray, refresh: refreshTray } = startTrayControl({
    shell,
    store,
    controller,
    appName: APP_NAME,
    showPopup,
    togglePopup,
    openSettings,
    prefsChanged: () => applyPrefs(),
  });

  let shortcut = '';
  function applyPrefs(): void {
    const prefs = store.get('prefs');
    if (prefs.proxy !== proxySetting) {
      proxySetting = prefs.proxy;
      network.setExplicitProxy(prefs.proxy);
      log(`proxy from Settings: ${prefs.proxy || 'none (the system settings apply)'}`);
      controller.engine?.resync('manual');
    }
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
  shell.onNetworkChange((online) => {
    log(`network ${online ? 'back' : 'lost'}`);
    controller.engine?.resync(online ? 'online' : 'network-lost');
  });
  shell.onSystemDoNotDisturb((on) => {
    controller.setSystemDoNotDisturb(on);
    refreshTray();
  });
  shell.onSecondInstance(showPopup);
  controller.onActivity((chatId) => emit('chat:activity', { chatId }));
  controller.onInteractions((conversationId) =>
    emit('interactions:changed', conversationId ? { conversationId } : {}),
  );

  const followSession = sessionEndedNotice({ shell, store, controller, showPopup });

  let lastMode = '';
  controller.onState((s) => {
    emit('state:changed', toStateView(s));
    refreshTray();
    followSession(s);
    const mode = `${controller.mode}|${controller.environment}`;
    if (mode !== lastMode) {
      lastMode = mode;
      emit('app:info-changed', info());
    }
  });

  await popup.ensure();
  const ready = controller.start().then(
    () => log(`started in ${controller.mode} mode (${controller.environment})`),
    (err: unknown) => log(`start failed: ${errorText(err)}`),
  );
  // Activations that arrive alone (Windows: from the Action Center, or the click that launched the
  // app) wait until the engine is there and knows the user's chats, so a reply is not lost.
  const chatsKnown = (): Promise<void> =>
    new Promise((resolve) => {
      const known = (): boolean => {
        const s = controller.state();
        return s.lastSyncAt !== null || s.connection === 'signed-out' || s.connection === 'needs-sign-in';
      };
      if (known()) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, 30_000);
      const off = controller.onState(() => {
        if (known()) done();
      });
    });
  shell.onNotificationActivation((a) => void ready.then(chatsKnown).then(() => route(a)));

  return {
    info,
    controller,
    popup,
    tray,
    togglePopup,
    ready,
    async stop() {
      clearInterval(clockTimer);
      popup.dispose();
      await ready;
      await controller.stop();
      await network.close();
    },
  };
}
