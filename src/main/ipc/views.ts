// Maps the engine's state and messages to the IPC contract's views (what the renderer may see).
import type {
  EngineStateView,
  InteractionsSummary,
  MessageView,
  OutboxItemView,
} from '../../shared/ipc/contract.ts';
import { VIEW_LIMITS } from '../../shared/ipc/limits.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineSnapshot, OutboxView } from '../engine/engine-state.ts';
import type { ChatMessage } from '../engine/model.ts';
import { stripBidiControls } from '../../shared/text/bidi.ts';

/**
 * A name as the popup shows it: without bidi controls, which let a name read differently from what
 * it is or swallow the words after it ("Priya in <room>"). Right-to-left names need none.
 */
export const shownName = (name: string): string => stripBidiControls(name);

/**
 * The engine's snapshot, with the customer-conversation summary once the engine has a messaging
 * source (issue 13; the engine adds `interactions` to its snapshot, the tray counts `waiting`).
 */
export type StateSnapshot = EngineSnapshot & { interactions?: InteractionsSummary };

export function toStateView(s: StateSnapshot): EngineStateView {
  return {
    connection: s.connection,
    demo: s.demo,
    environment: s.environment,
    account: s.account ? { ...s.account, name: shownName(s.account.name) } : null,
    inbox: s.inbox.map((c) => ({
      ...c,
      chatName: shownName(c.chatName),
      items: c.items.map((i) => ({
        ...i,
        chatName: shownName(i.chatName),
        senderName: shownName(i.senderName),
      })),
    })),
    unread: s.unread,
    unreadForMe: s.unreadForMe,
    held: s.held,
    lastSyncAt: s.lastSyncAt,
    outbox: s.outbox.map(toOutboxView),
    settings: { ...s.settings },
    ...(s.notice ? { notice: s.notice } : {}),
    ...(s.proxySignIn ? { proxySignIn: { ...s.proxySignIn } } : {}),
    ...(s.interactions ? { interactions: { ...s.interactions } } : {}),
  };
}

export function toOutboxView(o: OutboxView): OutboxItemView {
  return { ...o };
}

export async function toMessageViews(
  engine: Engine,
  messages: ChatMessage[],
  pinned: string[],
): Promise<MessageView[]> {
  const me = engine.user?.id ?? '';
  const pins = new Set(pinned);
  return Promise.all(
    messages.map(async (m) => ({
      id: m.id,
      chatId: m.chatId,
      senderId: m.senderId,
      senderName: fit(
        shownName(m.senderName ?? (await engine.queries.userName(m.senderId))),
        VIEW_LIMITS.name,
      ),
      body: fit(m.body, VIEW_LIMITS.text),
      createdAt: m.createdAt,
      ...(m.editedAt !== undefined ? { editedAt: m.editedAt } : {}),
      ...(m.threadId ? { threadId: m.threadId } : {}),
      mentions: m.mentions.slice(0, VIEW_LIMITS.mentions),
      reactions: Object.entries(m.reactions)
        .filter(([emoji, users]) => users.length > 0 && emoji.length <= VIEW_LIMITS.emoji)
        .slice(0, VIEW_LIMITS.reactions)
        .map(([emoji, users]) => ({ emoji, count: users.length, mine: users.includes(me) })),
      own: m.senderId === me,
      pinned: pins.has(m.id),
    })),
  );
}

const SHORTENED = '… [message shortened]';

/**
 * Text cut to what the renderer accepts, so one oversized message (Genesys allows longer ones)
 * shows shortened instead of making its whole chat fail to open. Never splits a surrogate pair.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - SHORTENED.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + SHORTENED;
}
