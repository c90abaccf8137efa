// The engine's notification decision → what the desktop shows: the privacy preference applied to
// the body, sound per preference, the inline reply and buttons it may offer, and the target every
// activation leads back to. Pure, so every case is unit tested.
import { NOTIFY_KIND_TRAITS } from '../../shared/domain/kinds.ts';
import type { NotificationOut } from '../engine/notification.ts';
import type { DesktopNotification } from '../shell/ports.ts';
import type { Prefs } from '../store/schema.ts';

/** The user's default reaction from a notification button. */
export const QUICK_REACTION = '👍';

export function desktopNotification(
  n: NotificationOut,
  prefs: Pick<Prefs, 'showMessageText' | 'sound'>,
): DesktopNotification {
  if (n.kind === 'offer' || n.kind === 'customer') return customerNotification(n, n.kind, prefs);
  const single = n.kind !== 'digest';
  const answerable = n.kind !== 'digest' && NOTIFY_KIND_TRAITS[n.kind].answerable;
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

/**
 * A customer conversation's notification. An offer stays on screen with Accept and Decline (the
 * channel, the customer and the time left are in its title and body; the first message only when
 * the privacy preference shows text). A customer message offers an inline reply.
 */
function customerNotification(
  n: NotificationOut,
  kind: 'offer' | 'customer',
  prefs: Pick<Prefs, 'showMessageText' | 'sound'>,
): DesktopNotification {
  const offer = kind === 'offer';
  const hidden = offer
    ? (n.body.match(/\d+ (?:min(?: \d+ s)?|s) left$/)?.[0] ?? 'Answer now')
    : 'New message';
  return {
    tag: n.messageId,
    target: { chatId: n.chatId, messageId: n.messageId, interaction: true },
    title: n.title,
    body: prefs.showMessageText ? n.body : hidden,
    silent: !prefs.sound,
    messageIds: n.messageIds,
    replyable: !offer,
    actions: offer
      ? [
          { id: 'accept', label: 'Accept' },
          { id: 'decline', label: 'Decline' },
        ]
      : [],
    ...(offer ? { persistent: true } : {}),
  };
}

/** The tag, target ids and message id of the one "session ended" notification. */
export const SESSION_ENDED_TAG = 'session-ended';

/**
 * "Signed out of Genesys Cloud": shown once when an account's session ends (not per failed
 * request), withdrawn once signed in again. A click opens the popup on its sign-in view.
 */
export function sessionEndedNotification(prefs: Pick<Prefs, 'sound'>): DesktopNotification {
  return {
    tag: SESSION_ENDED_TAG,
    target: { chatId: SESSION_ENDED_TAG, messageId: SESSION_ENDED_TAG },
    title: 'Signed out of Genesys Cloud',
    body: 'Your session ended. Sign in again to keep receiving messages; what you send meanwhile waits.',
    silent: !prefs.sound,
    messageIds: [SESSION_ENDED_TAG],
    replyable: false,
    actions: [],
  };
}
