// The engine's notification decision → what the desktop shows: the privacy preference applied to
// the body, sound per preference, the inline reply and buttons it may offer, and the target every
// activation leads back to. Pure, so every case is unit tested.
import type { NotificationOut } from '../engine/notification.ts';
import type { DesktopNotification } from '../shell/ports.ts';
import type { Prefs } from '../store/schema.ts';

/** The user's default reaction from a notification button. */
export const QUICK_REACTION = '👍';

export function desktopNotification(
  n: NotificationOut,
  prefs: Pick<Prefs, 'showMessageText' | 'sound'>,
): DesktopNotification {
  const single = n.kind !== 'digest';
  // A reaction is to the user's own message: nothing to answer or to react to.
  const answerable = single && n.kind !== 'reaction';
  return {
    tag: single ? n.messageId : `digest:${n.chatId}`,
    target: {
      chatId: n.chatId,
      messageId: n.messageId,
      ...(n.threadId ? { threadId: n.threadId } : {}),
    },
    title: n.title,
    body: prefs.showMessageText ? n.body : single ? 'New message' : 'New messages',
    silent: !prefs.sound,
    messageIds: n.messageIds,
    replyable: answerable,
    actions: [
      { id: 'mark-read', label: 'Mark read' },
      ...(answerable ? [{ id: 'react' as const, label: QUICK_REACTION }] : []),
    ],
  };
}
