// Message history paging by date over per-chat arrays sorted by dateCreated (binary search).
import type { MessageRecord } from './model.ts';
import { badRequest } from './http/errors.ts';
import { defaultVariants, type WireVariants } from './variants.ts';

export interface HistoryQuery {
  limit: number;
  beforeMs?: number | undefined;
  afterMs?: number | undefined;
}

/**
 * Parses a `before`/`after` value: an ISO-8601 date or epoch milliseconds. Anything else is a 400,
 * naming the parameter.
 */
export function parseDateParam(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  let ms: number;
  if (/^-?\d{1,16}$/.test(value)) ms = Number(value);
  else ms = Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw badRequest(`Invalid '${name}' date '${value.slice(0, 60)}': use ISO-8601 or epoch milliseconds.`);
  }
  return ms;
}

/** Parses `limit`: a positive integer, default `def`, silently capped at `max`. */
export function parseLimit(value: string | null, def: number, max: number): number {
  if (value === null || value === '') return Math.min(def, max);
  if (!/^\d{1,9}$/.test(value.trim()))
    throw badRequest(`Invalid 'limit' '${value.slice(0, 40)}': use a positive integer.`);
  const n = Number(value.trim());
  if (n < 1) throw badRequest(`Invalid 'limit' ${n}: it must be at least 1.`);
  return Math.min(n, max);
}

/** Index of the first message dated at or after `ms`. */
export function lowerBound(messages: readonly MessageRecord[], ms: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as MessageRecord).dateMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first message dated strictly after `ms`. */
export function upperBound(messages: readonly MessageRecord[], ms: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as MessageRecord).dateMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of history, oldest first (the route then orders it as `variants.historyOrder` says).
 * Semantics by default (the API has no cursor; clients page by date):
 * - deleted messages are never returned;
 * - without `after`: the newest `limit` messages dated strictly before `before` (or the newest
 *   overall when `before` is absent), so a client pages backwards with `before` = oldest date seen;
 * - with `after`: the oldest `limit` messages dated strictly after `after` (and before `before` when
 *   both are given), so a client catches up forwards with `after` = newest date seen.
 * The variants change what is undocumented: inclusive bounds, a limit that is ignored, and which end
 * of an `after` range the limit keeps.
 */
export function pageMessages(
  messages: readonly MessageRecord[],
  query: HistoryQuery,
  variants: Pick<WireVariants, 'historyBounds' | 'historyLimit' | 'historyAfterKeeps'> = defaultVariants(),
): MessageRecord[] {
  const inclusive = variants.historyBounds === 'inclusive';
  const limit = variants.historyLimit === 'ignore' ? Infinity : query.limit;
  let end = messages.length;
  if (query.beforeMs !== undefined)
    end = inclusive ? upperBound(messages, query.beforeMs) : lowerBound(messages, query.beforeMs);
  const out: MessageRecord[] = [];
  if (query.afterMs === undefined || variants.historyAfterKeeps === 'newest') {
    let start = 0;
    if (query.afterMs !== undefined)
      start = inclusive ? lowerBound(messages, query.afterMs) : upperBound(messages, query.afterMs);
    for (let i = end - 1; i >= start && out.length < limit; i--) {
      const message = messages[i] as MessageRecord;
      if (!message.deleted) out.push(message);
    }
    out.reverse();
  } else {
    const start = inclusive ? lowerBound(messages, query.afterMs) : upperBound(messages, query.afterMs);
    for (let i = start; i < end && out.length < limit; i++) {
      const message = messages[i] as MessageRecord;
      if (!message.deleted) out.push(message);
    }
  }
  return out;
}
