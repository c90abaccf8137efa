// Writes the outbox list one save at a time, in order; saves asked for meanwhile share the next one.
import { errorText } from '../../../shared/errors.ts';

export class SaveQueue {
  readonly #write: () => void | Promise<void>;
  readonly #report: (problem: string) => void;
  #chain: Promise<void> = Promise.resolve();
  #waiting: Promise<void> | undefined;

  constructor(write: () => void | Promise<void>, report: (problem: string) => void) {
    this.#write = write;
    this.#report = report;
  }

  /** Resolves once a save that started after this call has finished (it never rejects). */
  save(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    const next = this.#chain.then(async () => {
      this.#waiting = undefined;
      try {
        await this.#write();
      } catch (err) {
        this.#report(`outbox: saving the list failed: ${errorText(err)}`);
      }
    });
    this.#waiting = next;
    this.#chain = next;
    return next;
  }
}
