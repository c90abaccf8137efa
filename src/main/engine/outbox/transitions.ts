// How an outbox item changes at each step of an attempt, and which finished items the UI still shows.
import { backoffDelay, type BackoffRange } from '../watch/backoff.ts';
import type { Failure } from './failure.ts';
import type { Performed } from './perform.ts';
import type { OutboxAction, OutboxItem } from './schema.ts';

export const FINISHED: ReadonlySet<OutboxItem['state']> = new Set(['sent', 'failed']);

/** Items of one chat run one at a time, in the order the user queued them. */
export function chatKey(action: OutboxAction): string {
  return `${action.chat.kind}:${action.chat.id}`;
}

/**
 * Each chat's oldest unfinished item when it is queued: those `due` now (oldest chat first), and the
 * earliest time one of the others becomes due (`wake`, Infinity when none).
 */
export function queueHeads(items: readonly OutboxItem[], now: number): { due: OutboxItem[]; wake: number } {
  const heads = new Map<string, OutboxItem>();
  for (const item of items) {
    const key = chatKey(item.action);
    if (!FINISHED.has(item.state) && !heads.has(key)) heads.set(key, item);
  }
  const due: OutboxItem[] = [];
  let wake = Infinity;
  for (const head of heads.values()) {
    if (head.state !== 'queued') continue;
    const at = head.nextAttemptAt ?? 0;
    if (at > now) wake = Math.min(wake, at);
    else due.push(head);
  }
  return { due, wake };
}

export function beginAttempt(item: OutboxItem, now: number): void {
  item.state = 'sending';
  item.startedAt = now;
  item.attempts += 1;
  delete item.nextAttemptAt;
}

export function markSent(item: OutboxItem, done: Performed, now: number): void {
  item.state = 'sent';
  item.settledAt = now;
  if (done.messageId)
    item.result = { messageId: done.messageId, ...(done.recovered ? { recovered: true } : {}) };
  delete item.lastError;
  delete item.nextAttemptAt;
  delete item.unsureSince;
}

export interface RetryPolicy {
  maxAttempts: number;
  backoff: BackoffRange;
  random: () => number;
}

/** Applies a failed attempt; returns true when the outbox must pause for the user to sign in again. */
export function markFailed(item: OutboxItem, failure: Failure, now: number, policy: RetryPolicy): boolean {
  if (failure.mayHaveLanded && item.action.kind === 'reply')
    item.unsureSince = Math.min(item.unsureSince ?? Infinity, item.startedAt ?? now);
  item.lastError = failure.error;
  if (failure.verdict === 'sign-in') {
    item.attempts -= 1; // not the item's fault
    item.state = 'queued';
    return true;
  }
  if (failure.verdict === 'wait') {
    // Not the item's fault either: the source it needs is between two runs. Asked again at the
    // longest backoff, so a source that stays away costs a local check now and then, not a spin.
    item.attempts -= 1;
    item.state = 'queued';
    item.nextAttemptAt = now + backoffDelay(policy.maxAttempts, policy.backoff, policy.random);
    return false;
  }
  if (failure.verdict === 'retry' && item.attempts < policy.maxAttempts) {
    item.state = 'queued';
    item.nextAttemptAt = now + backoffDelay(item.attempts, policy.backoff, policy.random);
    return false;
  }
  item.state = 'failed';
  item.settledAt = now;
  if (failure.verdict === 'retry') {
    const maybe =
      item.unsureSince !== undefined ? ' It may have been sent: check the chat before trying again.' : '';
    item.lastError = {
      ...failure.error,
      message: `${failure.error.message} Gave up after ${item.attempts} attempts.${maybe}`,
    };
  }
  return false;
}

/**
 * The items to keep: all unfinished and failed ones, and the newest `count` sent ones younger than
 * `ms`. Sent items of a chat that still has unfinished items are kept too: their message ids must stay
 * claimed so that a later identical reply whose outcome is unknown is not matched to them.
 */
export function keepForUi(
  items: OutboxItem[],
  now: number,
  keep: { count: number; ms: number },
): OutboxItem[] {
  const busyChats = new Set(items.filter((x) => !FINISHED.has(x.state)).map((x) => chatKey(x.action)));
  let sentSeen = 0;
  const kept = new Set<OutboxItem>();
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.state !== 'sent') {
      kept.add(item);
      continue;
    }
    sentSeen++;
    const fresh = sentSeen <= keep.count && now - (item.settledAt ?? 0) < keep.ms;
    if (fresh || busyChats.has(chatKey(item.action))) kept.add(item);
  }
  return kept.size === items.length ? items : items.filter((x) => kept.has(x));
}
