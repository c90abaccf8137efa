// The engine's state as the UI and the tray read it: one snapshot, one subscription. Changes are
// coalesced so a burst of events makes one update.
import type { InboxChat } from './inbox.ts';
import type { ServerSettings } from './model.ts';
import type { ProxySignInState } from './ports.ts';
import type { InteractionsSummary } from '../../shared/ipc/views.ts';

export type ConnectionState =
  'signed-out' | 'signing-in' | 'connecting' | 'push' | 'polling' | 'offline' | 'needs-sign-in';

export interface OutboxView {
  id: string;
  kind: string;
  chatId: string;
  state: 'queued' | 'sending' | 'sent' | 'failed';
  text?: string;
  error?: string;
  messageId?: string;
  createdAt: number;
}

export interface SettingsView {
  value: ServerSettings | null;
  sync: 'idle' | 'loading' | 'saving' | 'error';
  error?: string;
}

export interface EngineSnapshot {
  connection: ConnectionState;
  demo: boolean;
  environment: string;
  account: { userId: string; name: string } | null;
  inbox: InboxChat[];
  unread: number;
  /** An unread mention or direct message (the tray shows it differently). */
  unreadForMe: boolean;
  held: number;
  /** When the last catch-up completed (epoch ms); null until the first one. */
  lastSyncAt: number | null;
  outbox: OutboxView[];
  settings: SettingsView;
  /** A problem the user should read (sign-in failed, settings not saved...). */
  notice?: string;
  /** A proxy asks for the user's name and password. */
  proxySignIn?: ProxySignInState;
  /** Customer conversations, while the messaging source runs (the tray counts `waiting`). */
  interactions?: InteractionsSummary;
}

/** Before anything is known: signed out, nothing in the inbox or the outbox. */
export function initialSnapshot(demo: boolean, environment: string): EngineSnapshot {
  return {
    connection: 'signed-out',
    demo,
    environment,
    account: null,
    inbox: [],
    unread: 0,
    unreadForMe: false,
    held: 0,
    lastSyncAt: null,
    outbox: [],
    settings: { value: null, sync: 'idle' },
  };
}

export class StateHub {
  private snapshot: EngineSnapshot;
  private readonly listeners = new Set<(s: EngineSnapshot) => void>();
  private scheduled = false;

  constructor(initial: EngineSnapshot) {
    this.snapshot = initial;
  }

  get(): EngineSnapshot {
    return this.snapshot;
  }

  /** Applies a change; listeners hear about it once per microtask burst. */
  update(change: Partial<EngineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const l of this.listeners) {
        try {
          l(this.snapshot);
        } catch {
          // a listener's failure must not stop the others
        }
      }
    });
  }

  subscribe(listener: (s: EngineSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
