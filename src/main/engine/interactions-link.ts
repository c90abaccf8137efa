// The engine's link to its messaging source (issue 13): which MessagingSource the current connection
// watches, the `interactions` summary in the engine's snapshot (available, customers waiting, offers
// alerting: the popup's tab and the tray's count read it), and one "changed" event per change for
// the popup's lists. Rebound at every connection; cleared when watching stops.
import type { MessagingSource } from '../messaging/source.ts';
import type { Interaction } from '../messaging/types.ts';
import { MessagingWatchSource } from '../messaging/watch-source.ts';
import type { InteractionsSummary } from '../../shared/ipc/views.ts';
import type { StateHub } from './engine-state.ts';
import type { Watching } from './sources/watching.ts';
import { errorText } from '../../shared/errors.ts';

export type InteractionsListener = (conversationId?: string) => void;

/** Customers waiting: offers alerting, plus connected interactions with a customer message unanswered. */
export function summarise(list: readonly Interaction[], available: boolean): InteractionsSummary {
  const offered = list.filter((i) => i.state === 'offered').length;
  const answering = list.filter((i) => i.state === 'connected' && i.waitingSince !== undefined).length;
  return { available, offered, waiting: offered + answering };
}

export class InteractionsLink {
  private current: MessagingSource | null = null;
  private unbind: (() => void)[] = [];
  private readonly listeners = new Set<InteractionsListener>();
  private readonly state: StateHub;
  private readonly log: (message: string) => void;

  constructor(state: StateHub, log: (message: string) => void) {
    this.state = state;
    this.log = log;
  }

  /** The messaging source of the running connection, if any (available or not). */
  get source(): MessagingSource | null {
    return this.current;
  }

  attach(watching: Watching): void {
    this.detach();
    const found = watching.source('messaging');
    if (!(found instanceof MessagingWatchSource)) return;
    const source = found.messaging;
    this.current = source;
    this.unbind = [source.on('changed', (id) => this.changed(id)), source.on('state', () => this.changed())];
    this.changed();
  }

  detach(): void {
    for (const off of this.unbind) off();
    this.unbind = [];
    if (!this.current) return;
    this.current = null;
    this.state.update({ interactions: undefined });
    this.emit();
  }

  on(listener: InteractionsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(conversationId?: string): void {
    const source = this.current;
    if (!source) return;
    const available = source.availability().state === 'available';
    const next = summarise(source.list(), available);
    const before = this.state.get().interactions;
    if (
      !before ||
      before.available !== next.available ||
      before.waiting !== next.waiting ||
      before.offered !== next.offered
    )
      this.state.update({ interactions: next });
    this.emit(conversationId);
  }

  private emit(conversationId?: string): void {
    for (const l of this.listeners) {
      try {
        l(conversationId);
      } catch (err) {
        this.log(`engine: an interactions listener failed: ${errorText(err)}`);
      }
    }
  }
}
