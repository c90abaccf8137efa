// Injected faults for API paths: a burst of 5xx responses and added latency.

export class Faults {
  #errorsLeft = 0;
  #errorStatus = 503;
  latencyMs = 0;

  /** The next `count` API requests fail with `status` (500..599). */
  failNext(count: number, status = 503): void {
    this.#errorsLeft = Math.max(0, Math.trunc(count));
    this.#errorStatus = status;
  }

  /** The status to fail this request with, consuming one from the burst, or null. */
  takeError(): number | null {
    if (this.#errorsLeft <= 0) return null;
    this.#errorsLeft--;
    return this.#errorStatus;
  }

  get pendingErrors(): number {
    return this.#errorsLeft;
  }

  clear(): void {
    this.#errorsLeft = 0;
    this.latencyMs = 0;
  }
}

export function errorMessageFor(status: number): string {
  if (status === 503) return 'The service is temporarily unavailable. Please try again later.';
  if (status === 502) return 'Bad gateway.';
  if (status === 504) return 'The gateway timed out.';
  return 'An internal server error occurred (injected fault).';
}
