// The decision pipeline, the same for every source: a batch goes through the rules and the ledger
// (process-batch.ts), into the held queue or a notification, into the inbox; then its decisions are
// saved and only then shown. This module ALONE owns that write-ahead rule: every path that shows or
// withdraws something (a batch, the end of a catch-up, quiet hours ending, a debounced save) goes
// through `flush` in the one batch queue, which saves before it tells the notifier.
import type { Prefs } from '../store/schema.ts';
import { appRulesFromPrefs } from '../store/schema.ts';
import type { EngineData } from './engine-data.ts';
import type { StateHub } from './engine-state.ts';
import type { AppRules, ChatRef } from './model.ts';
import { digestNotification, type NotificationOut, type Notifier } from './notification.ts';
import { processBatch } from './process-batch.ts';
import { activeHold, hostClock, type LocalClock } from './rules.ts';
import type { WatchBatch } from './watch/types.ts';
import { errorText } from '../../shared/errors.ts';

/** How long a catch-up's decisions may wait to be saved and shown together. */
const FLUSH_MS = 2_000;

export interface PipelineOptions {
  data: EngineData;
  notifier: Notifier;
  state: StateHub;
  prefs(): Prefs;
  me(): { id: string; jid: string } | null;
  senderName(userId: string): Promise<string>;
  /** Resolves when the decisions may know the user's settings (or waited long enough). */
  settingsReady(): Promise<void>;
  stopped(): boolean;
  /** Hears the id of every conversation in which something happened. */
  activity(chatId: string): void;
  log(message: string): void;
  now(): number;
  localTime?: LocalClock;
  saveDebounceMs?: number;
}

export class Pipeline {
  private readonly o: PipelineOptions;
  private queue: Promise<void> = Promise.resolve();
  /** Decisions of catch-up batches not yet saved and shown (see flush). */
  private unflushed: { show: NotificationOut[]; withdraw: string[]; dirty: boolean } = {
    show: [],
    withdraw: [],
    dirty: false,
  };
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private holdTimer: ReturnType<typeof setInterval> | null = null;
  /** The OS's own do-not-disturb: holds notifications like the app's own. */
  private systemDnd = false;

  constructor(options: PipelineOptions) {
    this.o = options;
  }

  /** Resolves when every batch received so far has been processed. */
  idle(): Promise<void> {
    return this.queue;
  }

  enqueueBatch(batch: WatchBatch): Promise<void> {
    // Batches are processed one at a time, in arrival order: the ledger sees each chat in order.
    const run = this.queue.then(() => this.handleBatch(batch));
    this.queue = run.catch((err) => this.o.log(`engine: a batch failed: ${errorText(err)}`));
    return this.queue;
  }

  /** A flush in the batch queue's order (after every batch received so far). */
  enqueueFlush(): Promise<void> {
    return this.inQueue(() => this.flush());
  }

  /** Runs `work` after every batch received so far (and before any received later). */
  inQueue(work: () => void): Promise<void> {
    this.queue = this.queue.then(work).catch((err: unknown) => this.o.log(`engine: ${errorText(err)}`));
    return this.queue;
  }

  /** Checks every `everyMs` whether quiet hours or do-not-disturb ended (once started, until stop). */
  startHoldChecks(everyMs: number): void {
    this.holdTimer ??= setInterval(() => void this.inQueue(() => this.checkHold()), everyMs);
    this.holdTimer.unref?.();
  }

  stopHoldChecks(): void {
    if (this.holdTimer) clearInterval(this.holdTimer);
    this.holdTimer = null;
  }

  /** The preferences changed: a hold may have ended. */
  prefsChanged(): void {
    void this.inQueue(() => this.checkHold());
  }

  /**
   * The OS's do-not-disturb turned on or off. While on, notifications are held like under the app's
   * own do-not-disturb; when it ends they come out as one summary per chat, none lost.
   */
  setSystemDoNotDisturb(on: boolean): void {
    if (on === this.systemDnd) return;
    this.systemDnd = on;
    this.o.log(`system do-not-disturb ${on ? 'on' : 'off'}`);
    if (!on) void this.inQueue(() => this.checkHold());
  }

  markRead(chatId: string): void {
    const d = this.o.data;
    const ids = d.inbox.markChatRead(chatId);
    for (const p of d.ledger.markChatRead(chatId)) if (!ids.includes(p.messageId)) ids.push(p.messageId);
    if (ids.length) this.o.notifier.withdraw(ids);
    this.publishInbox();
    this.scheduleSave();
  }

  markAllRead(): void {
    const ids = this.o.data.inbox.markAllRead();
    if (ids.length) this.o.notifier.withdraw(ids);
    this.publishInbox();
    this.scheduleSave();
  }

  publishInbox(): void {
    const d = this.o.data;
    this.o.state.update({
      inbox: d.inbox.chats(),
      unread: d.inbox.unread,
      unreadForMe: d.inbox.hasUnreadMention(),
      held: d.held.size,
    });
  }

  private async handleBatch(batch: WatchBatch): Promise<void> {
    // The first decisions of a connection must know the user's settings (mentions only, muted).
    await this.o.settingsReady();
    const me = this.o.me();
    if (this.o.stopped() || !me) return;
    const d = this.o.data;
    const chat = d.roster.get(batch.chat.id)?.chat ?? batch.chat;
    const toShow: NotificationOut[] = [];
    const toWithdraw: string[] = [];
    const result = await processBatch(chat, batch.events, {
      ledger: d.ledger,
      held: d.held,
      inbox: d.inbox,
      reactionsSeen: d.reactionsSeen,
      context: () => ({
        me: { id: me.id, jid: me.jid },
        server: d.server ?? { muted: false, mentionsOnly: false, notifyOnReactions: true },
        app: this.appRules(),
        now: this.o.now(),
        localTime: this.o.localTime ?? hostClock,
      }),
      senderName: (id) => this.o.senderName(id),
      show: (n) => toShow.push(n),
      withdraw: (ids) => toWithdraw.push(...ids),
    });
    // Saved with the batch's decisions below (a flush saves, with or without notifications). A save
    // of its own here would also flush a sync's decisions 250 ms after its first batch, one full
    // save per quarter second of a catch-up instead of one per FLUSH_MS.
    d.lastMessages.note(chat.id, batch.events);
    d.trimReactions();
    this.o.activity(chat.id);
    const out = this.unflushed;
    out.show.push(...toShow);
    out.withdraw.push(...toWithdraw);
    if (toShow.length || toWithdraw.length || result.held) out.dirty = true;
    // A sync (a catch-up, a poll tick) delivers one batch per chat: their decisions reach the disk
    // and the user together when the sync ends ('synced'), or at the latest FLUSH_MS after the
    // first, instead of one full save per chat. Anything else (a pushed event, a 1on1 read on its
    // badge) goes out at once, with whatever is still waiting.
    if (batch.inSync) this.scheduleFlush();
    else this.flush();
  }

  /**
   * Write-ahead, then tell: the ledger and the inbox reach the disk before the user is told, so a
   * crash can never make a notification repeat; one lost in the instant between is still in the
   * inbox. Decisions not yet flushed are only in memory: after a crash they are fetched and decided
   * again, never shown twice.
   */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const out = this.unflushed;
    this.unflushed = { show: [], withdraw: [], dirty: false };
    if (!out.dirty) {
      this.scheduleSave();
      return;
    }
    this.saveNow();
    if (out.withdraw.length) this.o.notifier.withdraw(out.withdraw);
    for (const n of out.show) this.o.notifier.show(n);
    this.publishInbox();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.enqueueFlush();
    }, FLUSH_MS);
    this.flushTimer.unref?.();
  }

  scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      // In the batch queue, so a save never lands between a batch's ledger marks and its
      // notifications; with decisions waiting, the save is their flush (saved, then shown).
      void this.inQueue(() => (this.unflushed.dirty ? this.flush() : this.saveNow()));
    }, this.o.saveDebounceMs ?? 250);
    this.saveTimer.unref?.();
  }

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.o.data.save();
  }

  private appRules(): AppRules {
    const rules = appRulesFromPrefs(this.o.prefs(), this.o.now());
    return this.systemDnd ? { ...rules, dnd: true } : rules;
  }

  /** When quiet hours or do-not-disturb end, what they held becomes one summary per chat. */
  private checkHold(): void {
    const d = this.o.data;
    if (d.held.size === 0) {
      this.o.state.update({ held: 0 });
      return;
    }
    const hold = activeHold(this.appRules(), this.o.now(), this.o.localTime ?? hostClock);
    if (hold) {
      this.o.state.update({ held: d.held.size });
      return;
    }
    const released = d.held.release();
    this.saveNow();
    for (const summary of released) {
      // Customer conversations are not in the roster: their summary names the customer.
      const chat: ChatRef =
        d.roster.get(summary.chatId)?.chat ??
        (summary.kinds.customer
          ? { id: summary.chatId, kind: 'customer', jid: '', name: summary.senderNames[0] || 'Customer' }
          : { id: summary.chatId, kind: 'room', jid: summary.chatId, name: 'Chat' });
      const n: NotificationOut = digestNotification(summary, chat, 'held');
      this.o.notifier.show(n);
    }
    this.o.state.update({ held: 0 });
    this.scheduleSave();
  }
}
