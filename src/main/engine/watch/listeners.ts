// A tiny typed listener registry: one subscribable API, and a throwing listener never breaks the emitter.
import { errorText } from '../../../shared/errors.ts';
export class Listeners<E extends { [K in keyof E]: (...args: never[]) => void }> {
  private readonly map = new Map<keyof E, Set<E[keyof E]>>();
  private readonly onError: (message: string) => void;

  constructor(onError: (message: string) => void) {
    this.onError = onError;
  }

  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const listener of [...(this.map.get(event) ?? [])]) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (err) {
        this.onError(`listener for '${String(event)}' threw: ${errorText(err)}`);
      }
    }
  }
}
