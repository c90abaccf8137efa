// When a per-chat mute counts: the one answer the rules, the IPC views and the popup share.

export interface ChatMute {
  /** Epoch ms the mute ends; absent means until the user unmutes. */
  until?: number;
}

/** A mute counts while it has no end or its end is still ahead; an absent mute never counts. */
export function isMuteActive(mute: ChatMute | undefined, now: number): boolean {
  return mute !== undefined && (mute.until === undefined || now < mute.until);
}

/** `chatId`'s mute in a map of mutes, read safely (a chat id such as `__proto__` is just a key). */
export function muteOf(mutes: Readonly<Record<string, ChatMute>>, chatId: string): ChatMute | undefined {
  return Object.hasOwn(mutes, chatId) ? mutes[chatId] : undefined;
}
