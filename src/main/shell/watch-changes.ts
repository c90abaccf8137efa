// Polls a cheap reading of the OS (online or not, do-not-disturb on or not) and reports only its
// changes. A reading of null ("cannot tell") keeps the last known value; a failed reading too.
export interface ChangeWatch {
  /** Reads now (also after wake), reporting a change if there is one. */
  check(): Promise<void>;
  stop(): void;
}

export function watchChanges<T>(
  read: () => T | null | Promise<T | null>,
  onChange: (value: T) => void,
  opts: { intervalMs: number; initial: T },
): ChangeWatch {
  let current = opts.initial;
  let stopped = false;
  let reading = false;
  const check = async (): Promise<void> => {
    if (stopped || reading) return;
    reading = true;
    try {
      const value = await read();
      if (stopped || value === null || value === current) return;
      current = value;
      onChange(value);
    } catch {
      // An unreadable OS setting is "cannot tell".
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void check(), opts.intervalMs);
  timer.unref?.();
  void check();
  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
