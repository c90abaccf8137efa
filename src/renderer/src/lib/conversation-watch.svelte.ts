// What makes an open conversation look again, all sent to its one RefreshScheduler:
// - the engine's `chat:activity` for the chat (a message, an edit, a reaction): once the burst is over;
// - a new inbox item for the chat: marked read at once (the user is looking at it), and a read only if
//   its message is not shown by then (the engine tells the activity of a batch before the state its
//   decisions made, so the activity's read usually brought it already);
// - an own action that landed (it may have changed a shown message: an edit, a deletion): a read at once.
// Call it while a component initialises; it stops with that component.
import type { AppState } from './app-state.svelte.ts';
import { idsOf, newSince } from './message-list.ts';
import type { RefreshScheduler } from './refresh-scheduler.ts';

export function watchConversation(opts: {
  app: AppState;
  chatId: string;
  refresher: RefreshScheduler;
  /** Whether the first page is in: until then, what arrives is compared with what was there. */
  ready: () => boolean;
  markRead: () => void;
}): void {
  const { app, chatId, refresher } = opts;
  $effect(() => {
    const off = app.on('chat:activity', (e) => {
      if (e.chatId === chatId) refresher.ask({ history: true }, 'soon');
    });
    return () => {
      off();
      refresher.stop();
    };
  });

  let seenItems: ReadonlySet<string> | null = null;
  let seenSent: ReadonlySet<string> | null = null;
  $effect(() => {
    const s = app.state;
    const items = s?.inbox.find((c) => c.chatId === chatId)?.items ?? [];
    const sent = (s?.outbox ?? []).filter((o) => o.chatId === chatId && o.state === 'sent');
    if (seenItems === null || seenSent === null || !opts.ready()) {
      seenItems ??= idsOf(items);
      seenSent ??= idsOf(sent);
      return;
    }
    const inbox = newSince(seenItems, items);
    const outbox = newSince(seenSent, sent);
    seenItems = inbox.seen;
    seenSent = outbox.seen;
    if (inbox.added.length === 0 && outbox.added.length === 0) return;
    opts.markRead();
    refresher.ask(
      { history: outbox.added.length > 0, want: inbox.added.map((i) => i.messageId), pins: true },
      'now',
    );
  });
}
