// Small helpers shared by the benchmarks: waiting, percentiles, rounding, the repository root.
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the first truthy value of `check`, polled every `everyMs`; throws after `ms`. */
export async function until<T>(
  check: () => T | undefined | null | false,
  what: string,
  ms: number,
  everyMs = 5,
): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Nearest-rank percentile (p in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A uniform random number in [min, max). Benchmarks use it only to space samples out. */
export function jitter(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** Keeps the last `size` lines (logs for a failure report, never printed otherwise). */
export class Tail {
  private readonly lines: string[] = [];
  private readonly size: number;

  constructor(size = 200) {
    this.size = size;
  }

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
