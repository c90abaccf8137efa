// The popup window's life: made at start so the first open is instant, hidden on blur or Escape,
// and released (window and renderer process closed) after it has been hidden for a while, since
// all state lives in the main process. The next open makes a new one; navigation asked for in the
// meantime (a notification click) is delivered once the new renderer has loaded.
import type { PopupWindowPort, ShellPort, WindowSecurityPrefs } from './ports.ts';
import { errorText } from '../../shared/errors.ts';

export interface PopupHostOptions {
  shell: Pick<ShellPort, 'createPopupWindow'>;
  prefs: WindowSecurityPrefs;
  /** How long the popup stays hidden before its renderer is released (0: never). */
  releaseAfterMs: number;
  log(message: string): void;
}

interface Live {
  win: PopupWindowPort;
  /** Resolves when the renderer has loaded (it then asks for the state itself). */
  loaded: Promise<void>;
  ready: boolean;
}

export class PopupHost {
  private live: Live | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  /** The latest navigation asked for while no renderer was listening, by channel. */
  private readonly pendingNav = new Map<string, unknown>();
  private released = 0;
  private readonly options: PopupHostOptions;

  constructor(opts: PopupHostOptions) {
    this.options = opts;
  }

  /** How many times the renderer was released (for tests and logs). */
  get releases(): number {
    return this.released;
  }

  /** The webContents id of the current popup, or null when released (no sender can match). */
  get webContentsId(): number | null {
    return this.live?.win.webContentsId ?? null;
  }

  /** Makes the window (if released) and waits for its renderer. */
  async ensure(): Promise<void> {
    const live = this.live ?? this.create();
    await live.loaded;
  }

  show(): void {
    this.cancelRelease();
    const live = this.live ?? this.create();
    if (live.ready) live.win.show();
    else
      void live.loaded.then(
        () => {
          if (this.live === live) live.win.show();
        },
        () => {},
      );
  }

  hide(): void {
    this.live?.win.hide();
  }

  isVisible(): boolean {
    return this.live?.win.isVisible() ?? false;
  }

  toggle(): void {
    if (this.isVisible()) this.hide();
    else this.show();
  }

  /**
   * Sends an event to the renderer. With no renderer listening, state events are dropped (a new
   * renderer reads the current state when it loads) and navigation is kept for it.
   */
  send(channel: string, payload: unknown): void {
    const live = this.live;
    if (live?.ready) {
      live.win.send(channel, payload);
      return;
    }
    if (channel.startsWith('nav:')) this.pendingNav.set(channel, payload);
  }

  /** Closes the window and its renderer now. */
  release(): void {
    this.cancelRelease();
    const live = this.live;
    if (!live) return;
    this.live = null;
    this.released++;
    this.options.log('popup hidden for a while: its renderer was released');
    live.win.destroy();
  }

  dispose(): void {
    this.cancelRelease();
  }

  private create(): Live {
    const win = this.options.shell.createPopupWindow(this.options.prefs);
    const live: Live = { win, ready: false, loaded: Promise.resolve() };
    live.loaded = win.loadRenderer().then(
      () => {
        if (this.live !== live) return;
        live.ready = true;
        for (const [channel, payload] of this.pendingNav) win.send(channel, payload);
        this.pendingNav.clear();
        if (!win.isVisible()) this.scheduleRelease();
      },
      (err: unknown) => {
        this.options.log(`popup: the renderer failed to load: ${errorText(err)}`);
        if (this.live === live) this.live = null;
        win.destroy();
        throw err;
      },
    );
    win.onHidden(() => {
      if (this.live === live) this.scheduleRelease();
    });
    win.onClosed(() => {
      // Closed by the OS or a crashed renderer: the next open makes a new one.
      if (this.live === live) this.live = null;
    });
    this.live = live;
    return live;
  }

  private scheduleRelease(): void {
    this.cancelRelease();
    if (this.options.releaseAfterMs <= 0) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      if (this.live && !this.live.win.isVisible()) this.release();
    }, this.options.releaseAfterMs);
    this.releaseTimer.unref?.();
  }

  private cancelRelease(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }
}
