// The user's Genesys chat settings (muted, mentions only, reactions): read once per connection
// (decisions wait for that read, a little), changed optimistically from the popup.
import type { ChatApi } from '../genesys/chat-api.ts';
import type { EngineData } from './engine-data.ts';
import type { StateHub } from './engine-state.ts';
import type { ServerSettings } from './model.ts';
import { errorText } from '../../shared/errors.ts';

/** How long the first decisions of a connection wait for the settings read at most. */
const SETTINGS_WAIT_MS = 5_000;

export interface ServerSettingsOptions {
  data: EngineData;
  state: StateHub;
  api(): ChatApi | null;
  /** The settings changed (to be saved). */
  changed(): void;
  log(message: string): void;
  waitMs?: number;
}

export class ServerSettingsSync {
  private readonly o: ServerSettingsOptions;
  /** The settings read of the current connection: decisions wait for it (see ready). */
  private reading: Promise<void> = Promise.resolve();

  constructor(options: ServerSettingsOptions) {
    this.o = options;
  }

  /** Shows the settings the store held (before any read). */
  showKnown(): void {
    const value = this.o.data.server;
    if (value) this.o.state.update({ settings: { value, sync: 'idle' } });
  }

  /** Reads the settings for a new connection: its first decisions wait for this read. */
  read(): void {
    this.reading = this.load();
  }

  /** Reads them again (resume, a manual refresh); decisions do not wait for it. */
  refresh(): void {
    void this.load();
  }

  /**
   * Resolves when this connection's settings read has answered, or after the wait: a slow network
   * must not hold every notification back for a minute; the last settings read (kept on disk) then
   * stand.
   */
  ready(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.o.waitMs ?? SETTINGS_WAIT_MS);
      timer.unref?.();
    });
    return Promise.race([this.reading, late]).finally(() => clearTimeout(timer));
  }

  /** Optimistic: the UI shows the new value at once; a failed write rolls back with an error. */
  async update(change: Partial<ServerSettings>): Promise<ServerSettings> {
    const api = this.o.api();
    const d = this.o.data;
    if (!api || !d.server) throw new Error('Not signed in.');
    const before = d.server;
    // Only what differs is sent: a PATCH with every field would also reset what another client
    // changed meanwhile (and the user's mobile choice, were it included).
    const changed: Partial<ServerSettings> = {};
    for (const key of ['muted', 'mentionsOnly', 'notifyOnReactions'] as const) {
      const value = change[key];
      if (value !== undefined && value !== before[key]) changed[key] = value;
    }
    const next = { ...before, ...changed };
    d.server = next;
    this.o.state.update({ settings: { value: next, sync: 'saving' } });
    try {
      const saved = await api.updateSettings(changed, before);
      d.server = saved;
      this.o.state.update({ settings: { value: saved, sync: 'idle' } });
      return saved;
    } catch (err) {
      d.server = before;
      const error = `Your chat settings were not saved: ${errorText(err)}`;
      this.o.state.update({ settings: { value: before, sync: 'error', error } });
      throw new Error(error, { cause: err });
    }
  }

  /** Reads the user's Genesys settings; when that fails, the last ones read (kept on disk) stand. */
  private async load(): Promise<void> {
    const api = this.o.api();
    const d = this.o.data;
    if (!api) return;
    this.o.state.update({ settings: { value: d.server, sync: 'loading' } });
    try {
      d.server = await api.settings();
      this.o.state.update({ settings: { value: d.server, sync: 'idle' } });
      this.o.changed();
    } catch (err) {
      this.o.log(`engine: reading the chat settings failed: ${errorText(err)}`);
      this.o.state.update({ settings: { value: d.server, sync: 'error', error: errorText(err) } });
    }
  }
}
