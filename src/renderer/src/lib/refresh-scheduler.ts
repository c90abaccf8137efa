// The one way an open conversation re-reads what it shows. Every reason to look again (the engine's
// `chat:activity`, a new inbox item, an own action that landed or failed) asks here; the asks that
// come together become one read, and a read already under way is never doubled by an ask it
// covers. Pure TypeScript, no DOM: the conversation store gives it the read to run.

/** What a reason to look again asks for. */
interface RefreshAsk {
  /** Re-read the history (and the open thread): something in the chat changed. */
  history?: boolean;
  /** Re-read the history only if one of these messages is not shown by then. */
  want?: readonly string[];
  /** Re-read the pinned messages. */
  pins?: boolean;
}

/** What one run is to read, decided when it starts. */
export interface RefreshNeed {
  history: boolean;
  want: Set<string>;
  pins: boolean;
}

/**
 * `now`: at once (on the next turn of the event loop, so asks made together still merge).
 * `soon`: once a burst is over, `debounceMs` after the last such ask (a `now` already waiting wins).
 */
type RefreshWhen = 'now' | 'soon';

const ACTIVITY_DEBOUNCE_MS = 150;

const empty = (): RefreshNeed => ({ history: false, want: new Set(), pins: false });

export class RefreshScheduler {
  private need = empty();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the waiting timer is due: 'now' or 'soon', or null when none waits. */
  private due: RefreshWhen | null = null;
  private running = false;
  /** The most urgent `when` of the asks made while a run was under way. */
  private next: RefreshWhen | null = null;
  private stopped = false;
  private readonly run: (need: RefreshNeed) => Promise<void>;
  private readonly debounceMs: number;

  /** `run` reads what a need asks for; it reports its own errors. */
  constructor(run: (need: RefreshNeed) => Promise<void>, debounceMs = ACTIVITY_DEBOUNCE_MS) {
    this.run = run;
    this.debounceMs = debounceMs;
  }

  ask(what: RefreshAsk, when: RefreshWhen): void {
    if (this.stopped) return;
    if (what.history) this.need.history = true;
    for (const id of what.want ?? []) this.need.want.add(id);
    if (what.pins) this.need.pins = true;
    if (this.running) {
      if (this.next !== 'now') this.next = when;
      return;
    }
    this.schedule(when);
  }

  /** Drops whatever waits; nothing runs after this. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = null;
  }

  private schedule(when: RefreshWhen): void {
    if (this.due === 'now') return;
    clearTimeout(this.timer);
    this.due = when;
    this.timer = setTimeout(() => void this.fire(), when === 'now' ? 0 : this.debounceMs);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.due = null;
    if (this.stopped) return;
    const need = this.need;
    this.need = empty();
    this.running = true;
    try {
      await this.run(need);
    } catch {
      // The run reports its own errors; the next ask still gets its read.
    } finally {
      this.running = false;
    }
    const next = this.next;
    this.next = null;
    if (next && !this.stopped) this.schedule(next);
  }
}
