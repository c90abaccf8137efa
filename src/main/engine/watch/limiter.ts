// Concurrency helpers: a semaphore (at most N tasks at once) and per-key serial runs that coalesce.

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly max: number;

  constructor(max: number) {
    this.max = Math.max(1, max);
  }

  async use<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Runs tasks one at a time per key. A request while one runs queues a single follow-up; requests
 * while that follow-up waits share it (it reads the newest state when it starts anyway).
 */
export class KeyedSerial<T> {
  private readonly slots = new Map<string, { running: Promise<T>; queued?: Promise<T> }>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) return this.start(key, task);
    if (slot.queued) return slot.queued;
    const queued = slot.running.then(
      () => this.start(key, task),
      () => this.start(key, task),
    );
    slot.queued = queued;
    return queued;
  }

  private start(key: string, task: () => Promise<T>): Promise<T> {
    const running = task();
    this.slots.set(key, { running });
    const release = (): void => {
      const slot = this.slots.get(key);
      if (slot?.running === running && !slot.queued) this.slots.delete(key);
    };
    running.then(release, release);
    return running;
  }
}
