// One open chat's data for the conversation view: its history (older pages on demand), the open
// thread, pins, participants, and the user's actions on its messages (optimistic, undone by a
// re-read when refused). Everything that re-reads goes through one RefreshScheduler.
//
// Create it while a component initialises: it watches the app for reasons to look again
// (conversation-watch.svelte.ts) for as long as that component lives.
import type { MessageView, ParticipantView } from '../../../shared/ipc/contract.ts';
import { messageOf, type AppState } from './app-state.svelte.ts';
import type { MarkupOptions } from './markup.ts';
import { watchConversation } from './conversation-watch.svelte.ts';
import { oldestFirst, threadRoots, threadView, withLatest, withOlder, withReaction } from './message-list.ts';
import { holdAbove, holdOffset, holdPlace, type Restore } from './reading-place.ts';
import { RefreshScheduler, type RefreshNeed } from './refresh-scheduler.ts';
import type { PinInfo } from './types.ts';

type LoadStatus = 'loading' | 'ready' | 'error';

/** Messages read per page of history. */
const PAGE = 30;

export class ConversationStore {
  readonly app: AppState;
  readonly chatId: string;

  messages = $state<MessageView[]>([]);
  status = $state<LoadStatus>('loading');
  loadError = $state<string | null>(null);
  hasMore = $state(false);
  loadingOlder = $state(false);
  pins = $state<PinInfo | null>(null);
  people = $state<ParticipantView[] | null>(null);
  /** A refused action or a failed re-read, in words (the view can dismiss it). */
  actionError = $state<string | null>(null);

  /** The thread shown instead of the chat (its root message's id), or null. */
  threadId = $state<string | null>(null);
  threadMessages = $state<MessageView[]>([]);
  threadStatus = $state<LoadStatus>('loading');
  threadError = $state<string | null>(null);

  /** The scrolling list of messages (the view binds it). */
  scroller = $state<HTMLElement | null>(null);

  readonly markup: MarkupOptions = $derived.by(() =>
    this.app.markupOptions((this.people ?? []).map((p) => p.name)),
  );
  /** This chat's actions that have not landed yet. */
  readonly outbox = $derived.by(() =>
    (this.app.state?.outbox ?? []).filter((o) => o.chatId === this.chatId && o.state !== 'sent'),
  );
  /** Roots of the threads with replies among the loaded messages. */
  readonly repliedTo = $derived(threadRoots(this.messages));
  readonly shown = $derived(this.threadId ? this.threadMessages : this.messages);
  readonly viewStatus = $derived(this.threadId ? this.threadStatus : this.status);
  readonly viewError = $derived(this.threadId ? this.threadError : this.loadError);

  private readonly refresher: RefreshScheduler;
  private backToChat: Restore | null = null;

  constructor(app: AppState, chatId: string) {
    this.app = app;
    this.chatId = chatId;
    this.refresher = new RefreshScheduler((need) => this.reread(need));
    watchConversation({
      app,
      chatId,
      refresher: this.refresher,
      ready: () => this.status === 'ready',
      markRead: () => void this.markRead(),
    });
  }

  /** First load: marks the chat read, then history, pins and participants. */
  async open(): Promise<void> {
    void this.markRead();
    await this.loadLatest(true);
    void this.loadPins();
    try {
      this.people = await this.app.call('chat:participants', { chatId: this.chatId });
    } catch {
      this.people = [];
    }
  }

  /** "Try again" after a first load failed. */
  retry(): Promise<void> {
    return this.threadId ? this.loadThread(this.threadId, true) : this.loadLatest(true);
  }

  /** Shows a thread (loading it), or the chat again at the place the reader left it. */
  showThread(id: string | null): void {
    if (id === this.threadId) return;
    // Still showing the chat: its scroll offset is the place to come back to.
    if (id && !this.threadId) this.backToChat = holdOffset(() => this.scroller);
    this.threadId = id;
    if (id) {
      const root = this.messages.find((m) => m.id === id);
      this.threadMessages = root ? [root] : [];
      this.threadStatus = 'loading';
      void this.loadThread(id, true);
    } else {
      const back = this.backToChat;
      this.backToChat = null;
      void back?.();
    }
  }

  async loadOlder(): Promise<void> {
    const oldest = this.messages[0];
    const el = this.scroller;
    if (this.threadId || !this.hasMore || this.loadingOlder || !oldest || !el) return;
    this.loadingOlder = true;
    try {
      const res = await this.app.call('chat:history', {
        chatId: this.chatId,
        before: oldest.createdAt,
        limit: PAGE,
      });
      const restore = holdAbove(el);
      this.messages = withOlder(this.messages, res.messages);
      this.hasMore = res.hasMore;
      await restore();
    } catch (err) {
      this.actionError = messageOf(err);
    } finally {
      this.loadingOlder = false;
    }
  }

  react(m: MessageView, emoji: string, on: boolean): void {
    this.patch(m.id, (x) => withReaction(x, emoji, on));
    void this.act(() => this.app.call('action:react', { chatId: this.chatId, messageId: m.id, emoji, on }));
  }

  togglePin(m: MessageView): void {
    const pinning = !m.pinned;
    const pins = this.pins;
    if (pinning && pins && pins.count >= pins.limit) {
      this.actionError = `This chat already has ${pins.count} pinned messages, the most Genesys Cloud allows. Unpin one first.`;
      return;
    }
    this.patch(m.id, (x) => ({ ...x, pinned: pinning }));
    if (pins) this.pins = { ...pins, count: Math.max(0, pins.count + (pinning ? 1 : -1)) };
    const channel = pinning ? 'action:pin' : 'action:unpin';
    void this.act(() => this.app.call(channel, { chatId: this.chatId, messageId: m.id }));
  }

  /** Unpins from the list of pinned messages (which loses the message at once). */
  unpin(m: MessageView): void {
    this.patch(m.id, (x) => ({ ...x, pinned: false }));
    if (this.pins) {
      const messages = this.pins.messages.filter((x) => x.id !== m.id);
      this.pins = { ...this.pins, count: messages.length, messages };
    }
    void this.act(() => this.app.call('action:unpin', { chatId: this.chatId, messageId: m.id }));
  }

  remove(m: MessageView): void {
    void this.act(() => this.app.call('action:delete', { chatId: this.chatId, messageId: m.id }));
  }

  openLink(url: string): void {
    void this.act(() => this.app.call('link:open', { url }));
  }

  // ---- reading --------------------------------------------------------------------------------

  /** A run of the refresh scheduler: the history and open thread, the pins, as asked. */
  private async reread(need: RefreshNeed): Promise<void> {
    const history = need.history || [...need.want].some((id) => !this.shows(id));
    const id = this.threadId;
    await Promise.all([
      history && this.status === 'ready' ? this.loadLatest(false) : null,
      history && id && this.threadStatus !== 'loading' ? this.loadThread(id, false) : null,
      need.pins ? this.loadPins() : null,
    ]);
  }

  private shows(messageId: string): boolean {
    return (
      this.messages.some((m) => m.id === messageId) || this.threadMessages.some((m) => m.id === messageId)
    );
  }

  /** Loads the newest page; on a re-read it replaces what that page covers (edits, deletions). */
  private async loadLatest(initial: boolean): Promise<void> {
    try {
      const res = await this.app.call('chat:history', { chatId: this.chatId, limit: PAGE });
      const restore = this.threadId ? null : holdPlace(() => this.scroller, initial);
      if (initial) {
        this.messages = oldestFirst(res.messages);
        this.hasMore = res.hasMore;
      } else this.messages = withLatest(this.messages, res.messages, res.hasMore);
      this.status = 'ready';
      this.loadError = null;
      await restore?.();
    } catch (err) {
      if (initial) {
        this.status = 'error';
        this.loadError = messageOf(err);
      } else this.actionError = messageOf(err);
    }
  }

  /** Loads a thread: its root (from the answer or the chat) and its replies, oldest first. */
  private async loadThread(id: string, initial: boolean): Promise<void> {
    try {
      const res = await this.app.call('chat:thread', { chatId: this.chatId, threadId: id });
      if (this.threadId !== id) return;
      const restore = holdPlace(() => this.scroller, initial);
      this.threadMessages = threadView(id, res.messages, [this.threadMessages, this.messages]);
      this.threadStatus = 'ready';
      this.threadError = null;
      await restore();
    } catch (err) {
      if (this.threadId !== id) return;
      if (initial) {
        this.threadStatus = 'error';
        this.threadError = messageOf(err);
      } else this.actionError = messageOf(err);
    }
  }

  private async loadPins(): Promise<void> {
    try {
      const p = await this.app.call('chat:pins', { chatId: this.chatId });
      this.pins = { count: p.messageIds.length, limit: p.limit, messages: p.messages };
    } catch {
      this.pins = null;
    }
  }

  private async markRead(): Promise<void> {
    try {
      await this.app.call('inbox:mark-read', { chatId: this.chatId });
    } catch {
      // Not fatal: the inbox keeps the item unread.
    }
  }

  private patch(id: string, change: (m: MessageView) => MessageView): void {
    this.messages = this.messages.map((m) => (m.id === id ? change(m) : m));
    this.threadMessages = this.threadMessages.map((m) => (m.id === id ? change(m) : m));
  }

  /** Runs an action; a refused one shows why, and what it changed optimistically is read again. */
  private async act(run: () => Promise<unknown>): Promise<void> {
    this.actionError = null;
    try {
      await run();
    } catch (err) {
      this.actionError = messageOf(err);
      this.refresher.ask({ history: true, pins: true }, 'now');
    }
  }
}
