// Renderer-only shapes shared by views.

/** A chat to open in the conversation view. */
export interface ChatTarget {
  chatId: string;
  chatName: string;
  chatKind: 'room' | 'oneOnOne';
  /** A message to bring into view (from a notification click). */
  messageId?: string;
}

/** How many messages a chat has pinned, and the most it may. */
export interface PinInfo {
  count: number;
  limit: number;
}
