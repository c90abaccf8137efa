// Finds a reply an earlier attempt may have posted unseen, so it is recorded instead of posted twice.
import type { ChatApi } from '../../genesys/chat-api.ts';
import type { ChatMessage } from '../model.ts';
import type { ReplyAction } from './schema.ts';

export interface LandedQuery {
  reply: ReplyAction;
  /** The signed-in user's id: only their own messages can be this reply. */
  userId: string;
  /** Local time of the earliest attempt that may have posted it. */
  since: number;
  /** How far the server's clock may be behind ours (and how early a message may be dated). */
  skewMs: number;
  /** Message ids other outbox items already recorded as theirs. */
  claimed: ReadonlySet<string>;
  /** Pages of history read at most (default 20, i.e. 2000 messages). */
  maxPages?: number;
}

/**
 * The id of the oldest message in the chat, dated after `since - skewMs`, that the user wrote with the
 * reply's text (and thread) and that no other item claimed; undefined when there is none.
 *
 * Limits, by design:
 * - Identical replies queued on purpose are matched in order: the outbox runs a chat's items one at a
 *   time, so the first of them claims the first such message and the next one the next.
 * - The same words posted by the user from another client (the Genesys web app) inside the window
 *   would be taken for this reply, which is then not posted: a duplicate is the worse failure.
 * - A reply deleted again before the check cannot be found, so it is posted again.
 * - The thread is compared as sent: a reply aimed at a message inside a thread should name the
 *   thread's root (Genesys files replies to replies under the root).
 */
export async function findLandedReply(api: ChatApi, q: LandedQuery): Promise<string | undefined> {
  const text = q.reply.text.trim();
  const thread = q.reply.threadId;
  // The whole window, however the server orders and limits its pages; then the oldest match.
  const { messages } = await api.readAfter(q.reply.chat, {
    after: q.since - q.skewMs,
    maxPages: q.maxPages ?? 20,
    priority: 'user',
  });
  return messages.find((m) => isThisReply(m, q.userId, text, thread) && !q.claimed.has(m.id))?.id;
}

function isThisReply(m: ChatMessage, userId: string, text: string, threadId: string | undefined): boolean {
  return m.senderId === userId && m.body.trim() === text && (m.threadId ?? undefined) === threadId;
}
