// The small slice of Electron the app's composition uses. The Electron adapter (electron-shell.ts)
// implements it with the real module; tests implement it with fakes, so the wiring is tested in Node.

export interface WindowSecurityPrefs {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  webSecurity: true;
}

export interface PopupWindowPort {
  readonly webContentsId: number;
  loadRenderer(): Promise<void>;
  show(): void;
  hide(): void;
  isVisible(): boolean;
  send(channel: string, payload: unknown): void;
  onClosed(listener: () => void): void;
  /** The window was hidden (blur, Escape, the tray): the app may release it later. */
  onHidden(listener: () => void): void;
  /** Closes the window and frees its renderer process (the app makes a new one when needed). */
  destroy(): void;
}

export interface TrayPort {
  setToolTip(text: string): void;
  setIcon(name: TrayIconName): void;
  setMenu(items: TrayMenuItem[]): void;
  onClick(listener: () => void): void;
  /** The unread count where the OS shows one next to the icon or on the launcher (0 clears it). */
  setCount(count: number): void;
}

export type TrayIconName = 'idle' | 'unread' | 'mention' | 'offline' | 'signin' | 'dnd' | 'demo';

/** A native notification as the shell shows it (already decided, titled and privacy-filtered). */
export interface DesktopNotification {
  /** Groups and replaces: the message id, or `digest:<chatId>`. */
  tag: string;
  /** What it is about: where a click, a reply or a button leads (also after a restart, on Windows). */
  target: NotificationTarget;
  title: string;
  body: string;
  silent: boolean;
  messageIds: string[];
  /** Offer an inline reply where the OS has one (macOS, Windows). */
  replyable: boolean;
  /** Buttons where the OS has them (macOS, Windows), by id: 'mark-read', 'react', 'accept', 'decline'. */
  actions: { id: NotificationActionId; label: string }[];
  /** Stays on screen until acted on or withdrawn (an offered customer conversation). */
  persistent?: boolean;
}

export type NotificationActionId = 'mark-read' | 'react' | 'accept' | 'decline';

export interface NotificationTarget {
  chatId: string;
  messageId: string;
  threadId?: string;
  /** A customer conversation: `chatId` is its conversationId (its actions go to the messaging source). */
  interaction?: boolean;
}

/**
 * A notification's activation that reached the app without its handlers: on Windows, from the
 * Action Center after the notification object is gone, or the click that launched the app.
 */
export type NotificationActivation = NotificationTarget &
  ({ kind: 'click' } | { kind: 'reply'; text: string } | { kind: 'action'; id: NotificationActionId });

/** What the user did with a notification. */
export interface NotificationHandlers {
  click(): void;
  reply(text: string): void;
  action(id: NotificationActionId): void;
}

export interface TrayMenuItem {
  id: string;
  label: string;
  click(): void;
}

/** An IPC call as the main process receives it: who sent it, on which channel, with what. */
export interface IpcInvocation {
  senderId: number;
  senderUrl: string;
}

export interface ShellPort {
  readonly platform: NodeJS.Platform;
  readonly appVersion: string;
  /** The URL of the app's own renderer document (gct://popup/index.html in builds, the dev server in dev). */
  readonly rendererUrl: string;
  createPopupWindow(prefs: WindowSecurityPrefs): PopupWindowPort;
  createTray(icon: TrayIconName, tooltip: string): TrayPort;
  handleInvoke(channel: string, handler: (call: IpcInvocation, request: unknown) => Promise<unknown>): void;
  /** Shows a native notification and routes its click, inline reply and buttons. */
  notify(notification: DesktopNotification, handlers: NotificationHandlers): void;
  /** Takes back the notifications that carry any of these message ids. */
  withdrawNotifications(messageIds: string[]): void;
  /** Opens a URL (already checked to be http(s)) in the user's browser. */
  openExternal(url: string): Promise<void>;
  /** Puts plain text on the system clipboard. */
  copyText(text: string): void;
  /** The computer woke from sleep, or the screen was unlocked: time to catch up. */
  onWake(listener: (why: 'resume' | 'unlock') => void): void;
  /** Another launch of the app happened (it quits itself): show the popup. */
  onSecondInstance(listener: () => void): void;
  /** The OS says the network went away or came back. */
  onNetworkChange(listener: (online: boolean) => void): void;
  /** The OS's own do-not-disturb / focus mode turned on or off (where the shell can tell). */
  onSystemDoNotDisturb(listener: (on: boolean) => void): void;
  /** A notification activation that arrives without its own handlers (see NotificationActivation). */
  onNotificationActivation(listener: (activation: NotificationActivation) => void): void;
  setLaunchAtLogin(enabled: boolean): void;
  /** Registers the global shortcut (replacing any earlier one); false when the OS refused it. */
  setGlobalShortcut(accelerator: string, handler: () => void): boolean;
  quit(): void;
  log(message: string): void;
}
