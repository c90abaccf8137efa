// Notices sleep and clock jumps: every `checkMs` it compares how far the wall clock moved with how far
// the monotonic clock moved (and how late the check itself ran); a big difference means a gap.
import { performance } from 'node:perf_hooks';

export interface ClockWatchOptions {
  checkMs: number;
  jumpMs: number;
  onJump(detail: string): void;
  now?: () => number;
  monotonic?: () => number;
}

export class ClockWatch {
  private readonly options: ClockWatchOptions;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastWall = 0;
  private lastMono = 0;

  constructor(options: ClockWatchOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  start(): void {
    if (this.timer) return;
    this.lastWall = this.now();
    this.lastMono = this.monotonic();
    this.timer = setInterval(() => this.check(), this.options.checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One comparison (the interval calls it; exposed for tests). */
  check(): void {
    const wall = this.now();
    const mono = this.monotonic();
    const wallDelta = wall - this.lastWall;
    const monoDelta = mono - this.lastMono;
    this.lastWall = wall;
    this.lastMono = mono;
    const skew = wallDelta - monoDelta;
    // A suspended machine: the wall clock ran on while the monotonic clock (on most systems) stood.
    // A stalled process or a monotonic clock that counts sleep: the check itself ran very late.
    if (Math.abs(skew) > this.options.jumpMs)
      this.options.onJump(`wall clock moved ${Math.round(skew)} ms off`);
    else if (monoDelta > this.options.checkMs + this.options.jumpMs)
      this.options.onJump(`check ran ${Math.round(monoDelta)} ms apart`);
  }
}
