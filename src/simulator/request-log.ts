// A bounded log of the requests the simulator received, with counters, for tests and the control API.
import type { RequestCounters, RequestLogEntry } from './types.ts';

export class RequestLog {
  readonly #capacity: number;
  #entries: RequestLogEntry[] = [];
  #counters: RequestCounters = { total: 0, byStatus: {}, byRoute: {} };

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
    const c = this.#counters;
    c.total++;
    c.byStatus[String(entry.status)] = (c.byStatus[String(entry.status)] ?? 0) + 1;
    const route = `${entry.method} ${entry.route ?? entry.path}`;
    c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  counters(): RequestCounters {
    return {
      total: this.#counters.total,
      byStatus: { ...this.#counters.byStatus },
      byRoute: { ...this.#counters.byRoute },
    };
  }

  clear(): void {
    this.#entries = [];
    this.#counters = { total: 0, byStatus: {}, byRoute: {} };
  }
}
