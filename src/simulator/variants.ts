// The plausible answers to what Genesys Cloud leaves undocumented about its REST answers. The
// simulator picks one of each by default (the first listed) and can be switched to any other, at
// start (`startSimulator({ variants })`) or while running (`control.setVariants`), so tests show
// the client working whichever answer the real service gives.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const WireVariantsSchema = z.strictObject({
  /** Order of `GET /api/v2/users/chats/me` (paged by `rosterPageSize`). */
  rosterOrder: z.enum(['newest-first', 'oldest-first', 'shuffled']),
  /** Order of the entities of one history page. */
  historyOrder: z.enum(['oldest-first', 'newest-first', 'shuffled']),
  /** `honour`: at most `limit` (capped at `historyPageLimit`); `ignore`: every message in range. */
  historyLimit: z.enum(['honour', 'ignore']),
  /** Whether `before` / `after` include a message dated exactly at the bound. */
  historyBounds: z.enum(['exclusive', 'inclusive']),
  /** With `after`, which end of the range a limit keeps. */
  historyAfterKeeps: z.enum(['oldest', 'newest']),
  /** Shape of the 1on1 history: a listing, a bare array, or one message (as every SDK declares). */
  oneOnOneHistory: z.enum(['listing', 'array', 'single']),
  /** What `PUT /chats/messages/{id}/reactions` does with the caller's reactions and the list sent. */
  reactionsPut: z.enum(['replace', 'add', 'toggle']),
});
export type WireVariants = z.infer<typeof WireVariantsSchema>;

export function defaultVariants(): WireVariants {
  return {
    rosterOrder: 'newest-first',
    historyOrder: 'oldest-first',
    historyLimit: 'honour',
    historyBounds: 'exclusive',
    historyAfterKeeps: 'oldest',
    oneOnOneHistory: 'listing',
    reactionsPut: 'replace',
  };
}

/** Defaults overridden by `partial` (validated: an unknown name or value is a RangeError). */
export function resolveVariants(partial: unknown, base: WireVariants = defaultVariants()): WireVariants {
  const parsed = WireVariantsSchema.partial().safeParse(partial ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`simulator variants: ${issue?.path.join('.') || 'value'}: ${issue?.message}`);
  }
  const out = { ...base };
  for (const [key, value] of Object.entries(parsed.data))
    if (value !== undefined) (out as Record<string, string>)[key] = value;
  return out;
}

/** A stable pseudo-random rank for `key` under `seed` (the shuffled orders). */
export function shuffleRank(seed: number, key: string): string {
  return createHash('sha256').update(`${seed}:${key}`).digest('hex').slice(0, 16);
}

/** `items` (oldest first) in the page order the variant says. */
export function orderPage<T extends { id: string }>(
  items: T[],
  order: WireVariants['historyOrder'],
  seed: number,
): T[] {
  if (order === 'oldest-first') return items;
  if (order === 'newest-first') return [...items].reverse();
  return [...items].sort((a, b) => (shuffleRank(seed, a.id) < shuffleRank(seed, b.id) ? -1 : 1));
}

/** The caller's reactions after a reactions PUT of `sent`, as the `reactionsPut` variant says. */
export function reactionsAfterPut(
  mine: string[],
  sent: string[],
  mode: WireVariants['reactionsPut'],
): string[] {
  if (mode === 'replace') return sent;
  if (mode === 'add') return [...new Set([...mine, ...sent])];
  return [...mine.filter((e) => !sent.includes(e)), ...sent.filter((e) => !mine.includes(e))];
}
