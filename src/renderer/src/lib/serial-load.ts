// One load at a time: asks made while a load runs cause exactly one more load after it (never a
// second load in parallel, never a lost change). The lists and the transcript of customer
// conversations reload this way on every `interactions:changed`.

/** Wraps `load` (which reports its own errors); the returned function asks for a load. */
export function serialLoad(load: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const ask = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    // `load` shows its own errors; one it lets through must not stop later changes from loading.
    void load()
      .catch(() => {})
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          ask();
        }
      });
  };
  return ask;
}
