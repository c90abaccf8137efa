// A fake ShellPort for testing the main process's composition in Node: records windows, trays,
// menus and IPC handlers, and lets a test invoke a channel as a given sender.
import { POPUP_URL } from '../../src/main/shell/app-protocol.ts';
import type {
  DesktopNotification,
  IpcInvocation,
  NotificationActivation,
  NotificationHandlers,
  PopupWindowPort,
  ShellPort,
  TrayIconName,
  TrayMenuItem,
  TrayPort,
  WindowSecurityPrefs,
} from '../../src/main/shell/ports.ts';

export class FakePopup implements PopupWindowPort {
  readonly webContentsId: number;
  visible = false;
  loaded = 0;
  destroyed = false;
  sent: { channel: string; payload: unknown }[] = [];
  private closed: (() => void)[] = [];
  private hidden: (() => void)[] = [];
  readonly prefs: WindowSecurityPrefs;
  constructor(id: number, prefs: WindowSecurityPrefs) {
    this.webContentsId = id;
    this.prefs = prefs;
  }
  async loadRenderer(): Promise<void> {
    this.loaded++;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    const was = this.visible;
    this.visible = false;
    if (was) for (const l of this.hidden) l();
  }
  isVisible(): boolean {
    return this.visible;
  }
  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error(`send on a destroyed popup (${channel})`);
    this.sent.push({ channel, payload });
  }
  onClosed(listener: () => void): void {
    this.closed.push(listener);
  }
  onHidden(listener: () => void): void {
    this.hidden.push(listener);
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    for (const l of this.closed) l();
  }
  /** The window closed by itself (the OS, or its renderer crashed). */
  close(): void {
    this.destroy();
  }
  /** Events of one channel sent to this popup, in order. */
  events(channel: string): unknown[] {
    return this.sent.filter((e) => e.channel === channel).map((e) => e.payload);
  }
}

export class FakeTray implements TrayPort {
  icon: TrayIconName;
  tooltip: string;
  menu: TrayMenuItem[] = [];
  count = 0;
  private clicks: (() => void)[] = [];
  constructor(icon: TrayIconName, tooltip: string) {
    this.icon = icon;
    this.tooltip = tooltip;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setIcon(name: TrayIconName): void {
    this.icon = name;
  }
  setMenu(items: TrayMenuItem[]): void {
    this.menu = items;
  }
  onClick(listener: () => void): void {
    this.clicks.push(listener);
  }
  setCount(count: number): void {
    this.count = count;
  }
  click(): void {
    for (const l of this.clicks) l();
  }
  menuItem(id: string): TrayMenuItem {
    const item = this.menu.find((i) => i.id === id);
    if (!item) throw new Error(`no tray menu item ${id}`);
    return item;
  }
}

export class FakeShell implements ShellPort {
  readonly platform: NodeJS.Platform;
  constructor(opts: { platform?: NodeJS.Platform } = {}) {
    this.platform = opts.platform ?? 'linux';
  }
  readonly appVersion = '0.0.0-test';
  readonly rendererUrl = POPUP_URL;
  popups: FakePopup[] = [];
  trays: FakeTray[] = [];
  handlers = new Map<string, (call: IpcInvocation, request: unknown) => Promise<unknown>>();
  logs: string[] = [];
  quitCalls = 0;
  notifications: { n: DesktopNotification; click: () => void; handlers: NotificationHandlers }[] = [];
  wake: ((why: 'resume' | 'unlock') => void)[] = [];
  secondInstance: (() => void)[] = [];
  launchAtLogin: boolean | null = null;
  shortcut: { accelerator: string; handler: () => void } | null = null;
  /** Accelerators the fake OS refuses, like one another app holds. */
  takenShortcuts = new Set<string>();
  withdrawn: string[] = [];
  opened: string[] = [];
  copied: string[] = [];
  network: ((online: boolean) => void)[] = [];
  systemDnd: ((on: boolean) => void)[] = [];
  activations: ((a: NotificationActivation) => void)[] = [];

  createPopupWindow(prefs: WindowSecurityPrefs): PopupWindowPort {
    const popup = new FakePopup(100 + this.popups.length, prefs);
    this.popups.push(popup);
    return popup;
  }
  createTray(icon: TrayIconName, tooltip: string): TrayPort {
    const tray = new FakeTray(icon, tooltip);
    this.trays.push(tray);
    return tray;
  }
  handleInvoke(channel: string, handler: (call: IpcInvocation, request: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`handler registered twice for ${channel}`);
    this.handlers.set(channel, handler);
  }
  quit(): void {
    this.quitCalls++;
  }
  notify(n: DesktopNotification, handlers: NotificationHandlers): void {
    this.notifications.push({ n, click: () => handlers.click(), handlers });
  }
  withdrawNotifications(messageIds: string[]): void {
    this.withdrawn.push(...messageIds);
  }
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
  copyText(text: string): void {
    this.copied.push(text);
  }
  onWake(listener: (why: 'resume' | 'unlock') => void): void {
    this.wake.push(listener);
  }
  onSecondInstance(listener: () => void): void {
    this.secondInstance.push(listener);
  }
  onNetworkChange(listener: (online: boolean) => void): void {
    this.network.push(listener);
  }
  onSystemDoNotDisturb(listener: (on: boolean) => void): void {
    this.systemDnd.push(listener);
  }
  onNotificationActivation(listener: (a: NotificationActivation) => void): void {
    this.activations.push(listener);
  }
  /** The current popup window (the newest one made; earlier ones may have been released). */
  get popup(): FakePopup {
    const p = this.popups.at(-1);
    if (!p) throw new Error('no popup window yet');
    return p;
  }
  setLaunchAtLogin(enabled: boolean): void {
    this.launchAtLogin = enabled;
  }
  setGlobalShortcut(accelerator: string, handler: () => void): boolean {
    if (this.takenShortcuts.has(accelerator)) return false;
    this.shortcut = { accelerator, handler };
    return true;
  }
  log(message: string): void {
    this.logs.push(message);
  }

  /** Invoke a channel the way ipcMain would, as the given sender (the popup by default). */
  invoke(channel: string, request?: unknown, sender?: Partial<IpcInvocation>): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const popup = this.popups.at(-1);
    return handler(
      {
        senderId: sender?.senderId ?? popup?.webContentsId ?? -1,
        senderUrl: sender?.senderUrl ?? this.rendererUrl,
      },
      request,
    );
  }
}
