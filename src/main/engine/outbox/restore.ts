// Validates the saved outbox list: drops and reports damaged items, re-queues items caught mid-send.
import { OutboxItemSchema, type OutboxItem } from './schema.ts';

export interface Restored {
  items: OutboxItem[];
  /** One line per entry dropped or list replaced, naming what and why (never message text). */
  problems: string[];
}

export function restoreItems(raw: unknown): Restored {
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
