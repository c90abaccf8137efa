// The outbox of the account whose state is in memory: opened as soon as the account is known
// (actions are queued while connecting or offline), paused until connected, stopped on sign-out or
// an owner switch. Shows its items to the UI as OutboxViews.
import type { ChatApi } from '../genesys/chat-api.ts';
import type { AppStore } from '../store/store.ts';
import type { OutboxView, StateHub } from './engine-state.ts';
import type { CustomerPerformer } from './outbox/customer-perform.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { OutboxAction, OutboxItem } from './outbox/schema.ts';

/** The outbox's pause reason until the engine is connected. */
const WAITING_REASON = 'Waiting for Genesys Cloud: what you send is kept and sent once connected.';

export type CreateOutbox = (
  api: () => ChatApi,
  userId: string,
  storage: { load(): unknown; save(items: OutboxItem[]): void },
  customers: () => CustomerPerformer | undefined,
) => Outbox;

export interface OutboxHostOptions {
  create: CreateOutbox;
  store: AppStore;
  state: StateHub;
  api(): ChatApi | null;
  /** Who carries out a customer conversation's actions now (the connection's messaging source). */
  customers(): CustomerPerformer | undefined;
  log(message: string): void;
}

export class OutboxHost {
  private readonly o: OutboxHostOptions;
  private current: Outbox | null = null;

  constructor(options: OutboxHostOptions) {
    this.o = options;
  }

  get outbox(): Outbox | null {
    return this.current;
  }

  /** Opens the outbox of `userId` (started, paused until connected) unless one is open. */
  open(userId: string): Outbox {
    if (this.current) return this.current;
    const outbox = this.o.create(
      () => {
        const api = this.o.api();
        if (!api) throw new Error('Not signed in.');
        return api;
      },
      userId,
      {
        load: () => this.o.store.get('engine').outbox,
        // `patch`, not `update`: no copy of the whole section (about 1 MB with a full ledger) each way.
        save: (items) => this.o.store.patch('engine', { outbox: items }),
      },
      () => this.o.customers(),
    );
    for (const problem of outbox.problems) this.o.log(`outbox: ${problem}`);
    outbox.onChange((view) => this.o.state.update({ outbox: view.items.map(toView) }));
    outbox.pause(WAITING_REASON);
    outbox.start();
    this.current = outbox;
    this.o.state.update({ outbox: outbox.items().map(toView) });
    return outbox;
  }

  /** Connected: what waits is sent. */
  resume(): void {
    if (!this.current) return;
    this.current.resume();
    this.o.state.update({ outbox: this.current.items().map(toView) });
  }

  /** Stops the outbox (it saves what waits); returns it, for what it still held. */
  async close(): Promise<Outbox | null> {
    const outbox = this.current;
    this.current = null;
    await outbox?.stop();
    return outbox;
  }

  /**
   * Queues an action (saved before anything is sent). Refused only when no account is known (never
   * signed in, or signed out): while connecting, offline or waiting for a new sign-in it waits in
   * the outbox and is sent once connected.
   */
  async act(action: OutboxAction): Promise<OutboxView> {
    if (!this.current) throw new Error('Not signed in.');
    return toView(await this.current.enqueue(action));
  }

  /**
   * Messages this app posted for the user, as the outbox still keeps them (its sent items: the
   * newest 50, for 10 minutes and while their chat has items waiting; kept across restarts).
   */
  sentMessageIds(): string[] {
    return (this.current?.items() ?? []).flatMap((i) =>
      i.state === 'sent' && i.result?.messageId ? [i.result.messageId] : [],
    );
  }

  retry(id: string): Promise<boolean> {
    return this.current?.retry(id) ?? Promise.resolve(false);
  }

  discard(id: string): Promise<boolean> {
    return this.current?.discard(id) ?? Promise.resolve(false);
  }

  /** Resolves when the action has been sent or has failed (for the headless runner and tests). */
  async settled(id: string): Promise<OutboxView | undefined> {
    const item = await this.current?.settled(id);
    return item ? toView(item) : undefined;
  }
}

function toView(item: OutboxItem): OutboxView {
  const a = item.action;
  return {
    id: item.id,
    kind: a.kind,
    chatId: a.chat.id,
    state: item.state,
    createdAt: item.createdAt,
    ...(a.kind === 'reply' || a.kind === 'edit' ? { text: a.text } : {}),
    ...(item.lastError && item.state !== 'sent' ? { error: item.lastError.message } : {}),
    ...(item.result?.messageId
      ? { messageId: item.result.messageId }
      : 'messageId' in a
        ? { messageId: a.messageId }
        : {}),
  };
}
