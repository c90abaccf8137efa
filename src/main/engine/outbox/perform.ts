// Carries out one outbox action against the Genesys client (a maybe-landed reply is looked for first).
import type { ChatApi } from '../../genesys/chat-api.ts';
import { ActionRefused, MAX_PINS, PIN_LIMIT_MESSAGE } from './failure.ts';
import { findLandedReply } from './landed-reply.ts';
import { mentionIds } from '../../genesys/mappers.ts';
import type { EditAction, OutboxAction, PinAction, ReactAction, ReplyAction } from './schema.ts';

export interface PerformContext {
  /** The signed-in user's id. */
  userId(): Promise<string>;
  /** Replies: an earlier attempt from this time on may have posted it. */
  unsureSince?: number;
  skewMs: number;
  /** Message ids other outbox items recorded as theirs. */
  claimed: ReadonlySet<string>;
}

export interface Performed {
  /** Replies: the posted message. */
  messageId?: string;
  /** The reply was found already posted by an earlier attempt and was not posted again. */
  recovered?: boolean;
}

export async function perform(api: ChatApi, action: OutboxAction, ctx: PerformContext): Promise<Performed> {
  switch (action.kind) {
    case 'reply':
      return reply(api, action, ctx);
    case 'react':
      await react(api, action, ctx);
      return {};
    case 'pin':
      await pin(api, action);
      return {};
    case 'unpin':
      await api.unpin(action.chat, action.messageId);
      return {};
    case 'edit':
      await edit(api, action);
      return {};
    case 'delete':
      await api.remove(action.chat, action.messageId);
      return {};
    case 'end':
    case 'wrapup':
      // The capability check refuses these before they are queued; a hand-edited saved item may not.
      throw new ActionRefused(
        'Only a customer interaction can be ended or wrapped up.',
        'not.an.interaction',
      );
  }
}

async function reply(api: ChatApi, action: ReplyAction, ctx: PerformContext): Promise<Performed> {
  if (ctx.unsureSince !== undefined) {
    const found = await findLandedReply(api, {
      reply: action,
      userId: await ctx.userId(),
      since: ctx.unsureSince,
      skewMs: ctx.skewMs,
      claimed: ctx.claimed,
    });
    if (found) return { messageId: found, recovered: true };
  }
  const messageId = await api.send(action.chat, {
    text: action.text,
    ...(action.mentions ? { mentions: action.mentions } : {}),
    ...(action.threadId ? { threadId: action.threadId } : {}),
  });
  return { messageId };
}

/**
 * Toggles one emoji among the user's own reactions. The PUT carries the user's whole intended set
 * (right whether Genesys replaces or adds), and the message is read back: if the set is not what
 * was intended (a server that toggles what it is sent), the difference is sent once more; if it is
 * still not right, the action fails with that said, instead of claiming success.
 */
async function react(api: ChatApi, action: ReactAction, ctx: PerformContext): Promise<void> {
  const me = await ctx.userId();
  const mine = async (): Promise<string[]> => {
    const [message] = await api.messagesById(action.chat, [action.messageId], 'user');
    if (!message) throw new ActionRefused('The message no longer exists.', 'chat.message.not.found');
    return Object.entries(message.reactions)
      .filter(([, users]) => users.includes(me))
      .map(([emoji]) => emoji);
  };
  const before = await mine();
  if (before.includes(action.emoji) === action.on) return; // already as the user wants
  const intended = action.on ? [...before, action.emoji] : before.filter((e) => e !== action.emoji);
  await api.setReactions(action.messageId, intended);
  let now = await mine();
  if (sameSet(now, intended)) return;
  await api.setReactions(action.messageId, symmetricDifference(now, intended));
  now = await mine();
  if (sameSet(now, intended)) return;
  throw new ActionRefused(
    `Genesys Cloud did not ${action.on ? 'add' : 'remove'} the reaction ${action.emoji}.`,
    'chat.reactions.not.applied',
  );
}

/**
 * An edit sends the message's mentions again with the new text (whether an edit without them keeps
 * or clears them is undocumented): those the action names, else those the message has now.
 */
async function edit(api: ChatApi, action: EditAction): Promise<void> {
  let mentions = action.mentions;
  if (!mentions) {
    const [message] = await api.messagesById(action.chat, [action.messageId], 'user');
    if (!message) throw new ActionRefused('The message no longer exists.', 'chat.message.not.found');
    mentions = mentionIds(message.mentions);
  }
  await api.edit(action.chat, action.messageId, {
    text: action.text,
    ...(mentions.length > 0 ? { mentions } : {}),
  });
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((v) => x.has(v));
}

function symmetricDifference(a: string[], b: string[]): string[] {
  return [...a.filter((v) => !b.includes(v)), ...b.filter((v) => !a.includes(v))];
}

async function pin(api: ChatApi, action: PinAction): Promise<void> {
  const pinned = await api.pinnedIds(action.chat);
  if (pinned.includes(action.messageId)) return;
  if (pinned.length >= MAX_PINS) throw new ActionRefused(PIN_LIMIT_MESSAGE, 'chat.pin.limit.exceeded');
  await api.pin(action.chat, action.messageId);
}
