// Signing in again without a person, for sessions whose sign-in needs none: the demo org and a
// local simulator (the authorize page approves at once). When the session ends, or the first
// sign-in fails because the simulator is not there (yet, or any more), it tries again with backoff
// until it succeeds; one attempt at a time, none after stop().
import { backoffDelay, type BackoffRange } from './watch/backoff.ts';
import { errorText } from '../../shared/errors.ts';

export interface AutoSignInOptions {
  /** One whole sign-in (and connect); rejects when it failed. */
  signIn(): Promise<void>;
  /** Whether a sign-in is still wanted (false once signed in, or signed out on purpose). */
  wanted(): boolean;
  log(message: string): void;
  backoff?: BackoffRange;
}

export class AutoSignIn {
  private readonly options: AutoSignInOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(options: AutoSignInOptions) {
    this.options = options;
  }

  /** Signs in now (or joins the attempt under way); a failure schedules the next try. */
  now(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.clearTimer();
    this.running ??= this.attempt().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The session ended: sign in again soon (at once the first time). */
  request(): void {
    if (this.stopped || this.running || this.timer) return;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private async attempt(): Promise<void> {
    if (!this.options.wanted()) return;
    try {
      await this.options.signIn();
      this.failures = 0;
    } catch (err) {
      if (this.stopped || !this.options.wanted()) return;
      this.failures++;
      const delay = backoffDelay(this.failures, this.options.backoff ?? { minMs: 1_000, maxMs: 30_000 });
      this.options.log(
        `engine: signing in by itself failed (${errorText(err)}); ` + `trying again in ${delay} ms`,
      );
      this.schedule(delay);
    }
  }

  private schedule(delay: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.now();
    }, delay);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
