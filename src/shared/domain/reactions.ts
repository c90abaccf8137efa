// Which reactions a reactions event added: the one answer the rules (does it notify?), the batch
// (what to say, and which were already told) and the held queue (who reacted) share.

/** Emoji → ids of the users who reacted with it. */
export type Reactions = Record<string, string[]>;

export interface AddedReaction {
  emoji: string;
  userId: string;
}

/**
 * The reactions in `now` that were not in `before` (absent: none known, so all are new), leaving
 * out the user's own (`isMe`): reacting to your own message never notifies you.
 */
export function addedReactions(
  now: Reactions,
  before: Reactions | undefined,
  isMe: (userId: string) => boolean,
): AddedReaction[] {
  const added: AddedReaction[] = [];
  for (const [emoji, users] of Object.entries(now)) {
    const had = new Set(before && Object.hasOwn(before, emoji) ? before[emoji] : []);
    for (const userId of users) if (!isMe(userId) && !had.has(userId)) added.push({ emoji, userId });
  }
  return added;
}
