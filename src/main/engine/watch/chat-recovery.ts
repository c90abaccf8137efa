// A shape surprise costs latency, never a message: when an event on a subscribed room topic cannot
// be read, it is a gap (`gap()` at once: later pushed events wait, so they cannot overtake the lost
// one in the ledger), and that room is read over REST shortly after (`read()`: one read per burst of
// surprises, so a shape change on a busy room costs one read per `delayMs`, within the request
// budget). Until an event on its topic can be read again, the room's badges trigger reads too.
import type { ChatRef } from '../model.ts';

const MAX_SUSPECT = 2_000;

export class ChatRecovery {
  private readonly delayMs: number;
  private readonly read: (chat: ChatRef) => void;
  private readonly gap: () => void;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly suspect = new Set<string>();
  private count = 0;

  constructor(o: { delayMs: number; gap(): void; read(chat: ChatRef): void }) {
    this.delayMs = o.delayMs;
    this.gap = o.gap;
    this.read = o.read;
  }

  /** An unreadable event on `topic`, which belongs to `chat`: read the chat once the burst settles. */
  surprise(topic: string, chat: ChatRef): void {
    if (this.suspect.size >= MAX_SUSPECT) this.suspect.clear();
    this.suspect.add(topic);
    if (this.timers.has(chat.id)) return;
    this.gap();
    const timer = setTimeout(() => {
      this.timers.delete(chat.id);
      this.count++;
      this.read(chat);
    }, this.delayMs);
    timer.unref();
    this.timers.set(chat.id, timer);
  }

  /** An event on `topic` was read: its events come through again. */
  readable(topic: string): void {
    if (this.suspect.size > 0) this.suspect.delete(topic);
  }

  /** Whether events on `topic` could not be read lately (its badges should trigger reads). */
  isSuspect(topic: string): boolean {
    return this.suspect.has(topic);
  }

  /** Chats read because of a surprise, in this session. */
  get recovered(): number {
    return this.count;
  }

  /** Cancels the pending reads (the watcher stops or restarts: its sync covers them). */
  cancel(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
