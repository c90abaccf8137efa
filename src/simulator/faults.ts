// Injected faults: for API paths a burst of 5xx responses and added latency; for the push path,
// room message events in a shape the client does not know, and room topics the server refuses.

/**
 * How a mangled room message event looks: `unknown` wraps the official body in a shape no model
 * has (`{ eventVersion, message }`), `legacy` is the old string `from`/`to` guess.
 */
export type PushShape = 'unknown' | 'legacy';

export class Faults {
  #errorsLeft = 0;
  #errorStatus = 503;
  latencyMs = 0;
  #mangleLeft = 0;
  #mangleShape: PushShape = 'unknown';
  /** Room id or jid → the rejection reason its message topics get (until reset). */
  readonly refusedRooms = new Map<string, string>();

  /** The next `count` room message events are sent in `shape` instead of the official one. */
  manglePush(count: number, shape: PushShape): void {
    this.#mangleLeft = Math.max(0, Math.trunc(count));
    this.#mangleShape = shape;
  }

  /** The shape to mangle this event into, consuming one, or null. */
  takeMangle(): PushShape | null {
    if (this.#mangleLeft <= 0) return null;
    this.#mangleLeft--;
    return this.#mangleShape;
  }

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
    this.#mangleLeft = 0;
    this.refusedRooms.clear();
  }
}

export function errorMessageFor(status: number): string {
  if (status === 503) return 'The service is temporarily unavailable. Please try again later.';
  if (status === 502) return 'Bad gateway.';
  if (status === 504) return 'The gateway timed out.';
  return 'An internal server error occurred (injected fault).';
}
