// Renderer-only shapes shared by views.
import type { ChatKind } from '../../../shared/domain/kinds.ts';
import type { MessageView } from '../../../shared/ipc/contract.ts';

/** A chat to open in the conversation view. */
export interface ChatTarget {
  chatId: string;
  chatName: string;
  chatKind: ChatKind;
  /** A message to bring into view (from a notification click). */
  messageId?: string;
  /** Focus the reply box once the chat is open (a notification's quick reply). */
  compose?: boolean;
}

/** How many messages a chat has pinned, the most it may, and the pinned messages themselves. */
export interface PinInfo {
  count: number;
  limit: number;
  messages: MessageView[];
}

/** The main view's tabs; `interactions` only while messaging is available (issue 13). */
export type InboxTab = 'inbox' | 'chats' | 'interactions';
