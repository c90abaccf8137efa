// The options of a native notification for each OS, as pure data: macOS gets an inline reply
// and buttons (Electron supports both there); other systems get title, body and sound only, and
// a click opens the conversation, where the quick reply is.
import type { DesktopNotification } from './ports.ts';

export interface NativeNotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  hasReply?: boolean;
  replyPlaceholder?: string;
  actions?: { type: 'button'; text: string }[];
}

export function notificationOptions(
  n: DesktopNotification,
  platform: NodeJS.Platform,
): NativeNotificationOptions {
  const base = { title: n.title, body: n.body, silent: n.silent };
  if (platform !== 'darwin') return base;
  return {
    ...base,
    ...(n.replyable ? { hasReply: true, replyPlaceholder: 'Reply…' } : {}),
    ...(n.actions.length
      ? { actions: n.actions.map((a) => ({ type: 'button' as const, text: a.label })) }
      : {}),
  };
}
