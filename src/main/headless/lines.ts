// What the headless runner tells on stdout about the engine's state: a `state` line for every change
// a script may act on, and an `action` line for every change of an outbox item's state.
import type { Engine } from '../engine/engine.ts';
import type { EngineSnapshot } from '../engine/engine-state.ts';
import type { OutputLine } from './protocol.ts';

export function stateLine(s: EngineSnapshot): OutputLine {
  return {
    type: 'state',
    connection: s.connection,
    account: s.account,
    unread: s.unread,
    demo: s.demo,
    synced: s.lastSyncAt !== null,
    ...(s.notice ? { notice: s.notice } : {}),
  };
}

export interface StateTelling {
  engine: Engine;
  /** The outbox list a previous run saved: only what changes from there on is told. */
  saved: unknown[];
  tell(line: OutputLine): void;
  /** Quitting: nothing more is told (the engine's last "offline" is not news). */
  stopping(): boolean;
  /** The connection changed to `connection`. */
  onConnection(connection: EngineSnapshot['connection']): void;
}

/** Tells state and action lines from now on; returns the unsubscribe. */
export function tellStateChanges(o: StateTelling): () => void {
  const actionStates = new Map<string, string>(previousActions(o.saved));
  let lastState = '';
  let lastConnection = '';
  return o.engine.state.subscribe((s) => {
    if (o.stopping()) return;
    const line = stateLine(s);
    const key = JSON.stringify(line);
    if (key !== lastState) {
      lastState = key;
      o.tell(line);
    }
    if (s.connection !== lastConnection) {
      lastConnection = s.connection;
      o.onConnection(s.connection);
    }
    for (const item of s.outbox) {
      if (actionStates.get(item.id) === item.state) continue;
      actionStates.set(item.id, item.state);
      o.tell({
        type: 'action',
        id: item.id,
        kind: item.kind,
        state: item.state,
        ...(item.messageId ? { messageId: item.messageId } : {}),
        ...(item.error ? { error: item.error } : {}),
      });
    }
  });
}

/** Ids and states of the outbox items a previous run saved (the outbox itself validates them). */
function previousActions(saved: unknown[]): [string, string][] {
  const known: [string, string][] = [];
  for (const item of saved) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, state } = item as { id?: unknown; state?: unknown };
    // A run stopped while sending: the outbox wakes it as queued; its next state is news.
    if (typeof id === 'string' && typeof state === 'string')
      known.push([id, state === 'sending' ? 'queued' : state]);
  }
  return known;
}
