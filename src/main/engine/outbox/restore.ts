// Validates the saved outbox list: drops and reports damaged items, re-queues items caught mid-send.
import { OutboxItemSchema, type OutboxItem } from './schema.ts';

export interface Restored {
  items: OutboxItem[];
  /** One line per entry dropped or list replaced, naming what and why (never message text). */
  problems: string[];
}

/** What the storage holds, validated; `woke` when items caught mid-send were re-queued (save again). */
export function loadSaved(load: () => unknown): Restored & { woke: boolean } {
  let raw: unknown;
  const problems: string[] = [];
  try {
    raw = load();
  } catch (err) {
    // The error's kind only: a parse error's message may quote the file, i.e. the user's words.
    const kind = err instanceof SyntaxError ? 'not valid JSON' : err instanceof Error ? err.name : 'error';
    problems.push(`outbox: the saved list could not be read (${kind}); started empty`);
  }
  const restored = restoreItems(raw);
  const woke = Array.isArray(raw) && raw.some((x: unknown) => isObj(x) && x.state === 'sending');
  return { items: restored.items, problems: [...problems, ...restored.problems], woke };
}

function restoreItems(raw: unknown): Restored {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { items: [], problems };
  if (!Array.isArray(raw)) {
    problems.push(`outbox: the saved list is not a list (${typeof raw}); started empty`);
    return { items: [], problems };
  }
  const items: OutboxItem[] = [];
  const ids = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const parsed = OutboxItemSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = ['outbox', index, ...(issue?.path ?? [])].map(String).join('.');
      problems.push(`${where}: ${issue?.message ?? 'invalid'}; item dropped`);
      return;
    }
    const item = parsed.data;
    if (ids.has(item.id)) {
      problems.push(`outbox.${index}: duplicate id; item dropped`);
      return;
    }
    ids.add(item.id);
    items.push(wakeUp(item));
  });
  // Keep the queue's order stable even if the file was reordered by hand.
  items.sort((a, b) => a.createdAt - b.createdAt);
  return { items, problems };
}

/** An item left 'sending' means the app stopped mid-send: whether it landed is unknown. */
function wakeUp(item: OutboxItem): OutboxItem {
  if (item.state !== 'sending') return item;
  const next: OutboxItem = { ...item, state: 'queued' };
  delete next.nextAttemptAt;
  if (item.action.kind === 'reply') next.unsureSince = item.unsureSince ?? item.startedAt ?? item.createdAt;
  return next;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}
