// The headless runner's line protocol: actions read as JSON lines on stdin (validated), and the
// lines it writes on stdout (notifications, state changes, results).
import { z } from 'zod';
import { CHAT_ID_MAX } from '../../shared/domain/chat-ref.ts';
import type { NotificationKind } from '../../shared/domain/kinds.ts';
import type { DiagnosticsReport } from '../engine/diagnostics.ts';

const id = z.string().min(1).max(256);
const chatId = z.string().min(1).max(CHAT_ID_MAX);

export const ActionLine = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reply'),
    chatId: chatId,
    text: z.string().min(1).max(10_000),
    threadId: id.optional(),
    mentions: z.array(id).max(50).optional(),
  }),
  z.object({
    type: z.literal('react'),
    messageId: id,
    emoji: z.string().min(1).max(64),
    chatId: chatId.optional(),
    on: z.boolean().optional(),
  }),
  z.object({ type: z.literal('pin'), chatId: chatId, messageId: id }),
  z.object({ type: z.literal('unpin'), chatId: chatId, messageId: id }),
  z.object({
    type: z.literal('edit'),
    chatId: chatId,
    messageId: id,
    text: z.string().min(1).max(10_000),
  }),
  z.object({ type: z.literal('delete'), chatId: chatId, messageId: id }),
  z.object({ type: z.literal('read'), chatId: chatId }),
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('state') }),
  z.object({ type: z.literal('diagnostics') }),
  /** Starts a new sign-in (after `needs-sign-in`, or a sign-in that failed or timed out). */
  z.object({ type: z.literal('sign-in') }),
  // Customer conversations (issue 13). A reply to a customer is the `reply` above with the
  // conversationId as `chatId`. Accept and decline act on an offer, end on a connected interaction,
  // wrapup on one that ended (`code`: a wrap-up code id of that conversation).
  z.object({ type: z.literal('accept'), conversationId: id }),
  z.object({ type: z.literal('decline'), conversationId: id }),
  z.object({ type: z.literal('end'), conversationId: id }),
  z.object({
    type: z.literal('wrapup'),
    conversationId: id,
    code: id,
    notes: z.string().max(10_000).optional(),
  }),
]);
export type ActionLine = z.infer<typeof ActionLine>;

export type OutputLine =
  | {
      type: 'notification';
      /** `offer` and `customer`: customer conversations, `chatId` being the conversationId. */
      kind: NotificationKind | 'offer' | 'customer';
      chatId: string;
      messageId: string;
      messageIds: string[];
      title: string;
      body: string;
      /** An offer's channel (sms, whatsapp, webmessaging, open, ...). */
      channel?: string;
      /** An offer: epoch ms it stops alerting, when known. */
      expiresAt?: number;
    }
  | {
      type: 'state';
      connection: string;
      account: { userId: string; name: string } | null;
      unread: number;
      demo: boolean;
      /** The first catch-up has completed: from here on, everything new is reported. */
      synced: boolean;
      /** Something to read (the session ended, why it is offline); absent when all is well. */
      notice?: string;
    }
  | { type: 'result'; ok: true; action: string; id?: string; state?: string; messageId?: string }
  | { type: 'result'; ok: false; action?: string; error: string }
  | { type: 'action'; id: string; kind: string; state: string; messageId?: string; error?: string }
  | { type: 'withdraw'; messageIds: string[] }
  /** The diagnostics report: no token, message text, name or id in it. */
  | { type: 'diagnostics'; report: DiagnosticsReport }
  | { type: 'signin'; url: string };

/** Parses one stdin line; a bad line becomes an error result, never an exception. */
export function parseActionLine(
  line: string,
): { ok: true; action: ActionLine } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'Not JSON: each line must be one JSON object.' };
  }
  const parsed = ActionLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `Invalid action: ${issue?.path.join('.') || 'type'} ${issue?.message ?? ''}`.trim(),
    };
  }
  return { ok: true, action: parsed.data };
}
