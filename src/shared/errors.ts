// An error as one line of text for a log or a notice: its message, or what was thrown.

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
