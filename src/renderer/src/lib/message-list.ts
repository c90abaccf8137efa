// Pure steps on a conversation's list of messages (oldest first), for the conversation store.
import type { MessageView } from '../../../shared/ipc/contract.ts';

const byTime = (a: MessageView, b: MessageView): number => a.createdAt - b.createdAt;

export const oldestFirst = (messages: readonly MessageView[]): MessageView[] => [...messages].sort(byTime);

/**
 * The newest page read again over what is shown: it replaces what it covers (edits, deletions);
 * older pages loaded before are kept only when the page says there is more before it.
 */
export function withLatest(
  shown: readonly MessageView[],
  page: readonly MessageView[],
  hasMore: boolean,
): MessageView[] {
  const latest = oldestFirst(page);
  const from = latest[0]?.createdAt ?? Infinity;
  const older = hasMore ? shown.filter((m) => m.createdAt < from) : [];
  return [...older, ...latest];
}

/** An older page put in before what is shown (without the ones already there). */
export function withOlder(shown: readonly MessageView[], page: readonly MessageView[]): MessageView[] {
  const known = new Set(shown.map((m) => m.id));
  return oldestFirst([...page.filter((m) => !known.has(m.id)), ...shown]);
}

/** A thread as shown: its root first (from the answer, else from what is known), then its replies. */
export function threadView(
  rootId: string,
  answer: readonly MessageView[],
  known: readonly (readonly MessageView[])[],
): MessageView[] {
  const root = answer.find((m) => m.id === rootId) ?? known.flat().find((m) => m.id === rootId);
  const replies = oldestFirst(answer.filter((m) => m.id !== rootId));
  return root ? [root, ...replies] : replies;
}

/** The ids of the messages that have replies among `messages`. */
export function threadRoots(messages: readonly MessageView[]): ReadonlySet<string> {
  return new Set(messages.map((m) => m.threadId).filter((id) => id !== undefined));
}

/** `m` with the user's reaction `emoji` set (`on`) or taken back, counts kept right. */
export function withReaction(m: MessageView, emoji: string, on: boolean): MessageView {
  const has = m.reactions.find((r) => r.emoji === emoji);
  let reactions = m.reactions.map((r) =>
    r.emoji === emoji
      ? { ...r, mine: on, count: Math.max(0, r.count + (on === r.mine ? 0 : on ? 1 : -1)) }
      : r,
  );
  if (!has && on) reactions = [...reactions, { emoji, count: 1, mine: true }];
  return { ...m, reactions: reactions.filter((r) => r.count > 0) };
}

export const idsOf = (things: readonly { id: string }[]): ReadonlySet<string> =>
  new Set(things.map((x) => x.id));

/** What a list of things with ids has that a set seen before did not, and the new set. */
export function newSince<T extends { id: string }>(
  seen: ReadonlySet<string>,
  now: readonly T[],
): { added: T[]; seen: ReadonlySet<string> } {
  return { added: now.filter((x) => !seen.has(x.id)), seen: idsOf(now) };
}
