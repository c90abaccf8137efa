// The popup's one reactive store: app info and engine state from the main process, kept fresh by
// its events, and a typed `call` that turns an error result into a thrown, readable Error.
import type {
  AppInfo,
  EngineStateView,
  EventChannel,
  EventOf,
  InvokeChannel,
  PrefsView,
  RendererBridge,
  RequestOf,
  ResponseOf,
} from '../../../shared/ipc/contract.ts';
import { isMuteActive, muteOf } from '../../../shared/domain/mute.ts';
import { getBridge } from './bridge.ts';
import type { MarkupOptions } from './markup.ts';

export type NavRequest = EventOf<'nav:open-chat'>;
export type InteractionNavRequest = EventOf<'nav:open-interaction'>;

export class AppState {
  info = $state<AppInfo | null>(null);
  state = $state<EngineStateView | null>(null);
  /** Why the first load failed (the app cannot work without it). */
  loadError = $state<string | null>(null);
  /** App preferences, once an engine exists to answer prefs:get. */
  prefs = $state<PrefsView | null>(null);
  /** The latest "open this chat" request from a notification click; views consume it. */
  nav = $state<NavRequest | null>(null);
  /** The latest "open this customer conversation" request from a notification click. */
  navInteraction = $state<InteractionNavRequest | null>(null);
  /** Bumped when the tray menu asks for the settings view. */
  settingsRequests = $state(0);

  private bridge: RendererBridge | null = null;
  private offs: (() => void)[] = [];
  private sawState = false;
  private sawInfo = false;

  /** Subscribes first, then loads, so nothing pushed in between is lost. */
  async start(): Promise<void> {
    try {
      this.bridge = getBridge();
      this.offs.push(
        this.bridge.on('state:changed', (s) => {
          this.sawState = true;
          this.state = s;
        }),
        this.bridge.on('app:info-changed', (i) => {
          this.sawInfo = true;
          this.info = i;
        }),
        this.bridge.on('nav:open-chat', (n) => {
          this.nav = n;
        }),
        this.bridge.on('nav:open-interaction', (n) => {
          this.navInteraction = n;
        }),
        this.bridge.on('nav:open-settings', () => {
          this.settingsRequests++;
        }),
      );
      const [info, state] = await Promise.all([this.call('app:get-info'), this.call('state:get')]);
      if (!this.sawInfo) this.info = info;
      if (!this.sawState) this.state = state;
    } catch (err) {
      this.loadError = messageOf(err);
    }
  }

  /** Loads the preferences; quietly keeps the old ones while the app is still starting. */
  async loadPrefs(): Promise<PrefsView | null> {
    try {
      this.prefs = await this.call('prefs:get');
    } catch {
      // No engine yet: nothing to show.
    }
    return this.prefs;
  }

  /**
   * How message markup names the signed-in user (full and first name, user id), with other `names`
   * to recognise after `@`. A new object only when one of them changes: the parser keeps its name
   * index per options object.
   */
  markupOptions(names: string[] = []): MarkupOptions {
    const me = this.state?.account?.name ?? '';
    const first = me.split(/\s+/)[0] ?? '';
    const id = this.state?.account?.userId;
    const key = JSON.stringify([me, id ?? '', names]);
    if (this.markupKey !== key) {
      this.markupKey = key;
      this.markupCache = {
        myNames: [me, first].filter(Boolean),
        ...(id ? { myIds: [id] } : {}),
        names: names.filter(Boolean),
      };
    }
    return this.markupCache;
  }
  private markupKey = '';
  private markupCache: MarkupOptions = {};

  /** Subscribes to an event from the main process; returns the unsubscribe. */
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    try {
      return (this.bridge ?? getBridge()).on(event, listener);
    } catch {
      return () => {};
    }
  }

  /** Whether this app mutes `chatId` at `now` (a mute whose `until` has passed no longer counts). */
  chatMute(chatId: string, now = Date.now()): { until?: number } | null {
    const mute = muteOf(this.prefs?.chatMutes ?? {}, chatId);
    return mute && isMuteActive(mute, now) ? mute : null;
  }

  /** Mutes a chat in this app (`until` absent: until unmuted), or unmutes it with `null`. */
  async setChatMute(chatId: string, mute: { until?: number } | null): Promise<void> {
    const prefs = this.prefs ?? (await this.loadPrefs());
    const now = Date.now();
    const next: Record<string, { until?: number }> = {};
    for (const [id, m] of Object.entries(prefs?.chatMutes ?? {})) {
      if (id !== chatId && isMuteActive(m, now)) next[id] = m;
    }
    if (mute) next[chatId] = mute;
    this.prefs = await this.call('prefs:update', { chatMutes: next });
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Invokes a channel; an `{ok:false}` answer throws an Error with the main process's message. */
  async call<C extends InvokeChannel>(channel: C, request?: RequestOf<C>): Promise<ResponseOf<C>> {
    const bridge = this.bridge ?? getBridge();
    const result = await bridge.invoke(channel, request);
    if (!result.ok) throw new Error(result.error.message || 'Something went wrong.');
    return result.value;
  }
}

/** A user-readable message for anything thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}
