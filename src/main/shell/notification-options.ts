// The options of a native notification for each OS, as pure data: macOS gets an inline reply
// and buttons (Electron supports both there); Windows uses toast XML instead (toast-xml.ts);
// Linux gets title, body (markup escaped) and sound, and a click opens the quick-reply view.
import type { DesktopNotification } from './ports.ts';

export interface NativeNotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  hasReply?: boolean;
  replyPlaceholder?: string;
  actions?: { type: 'button'; text: string }[];
  /** Linux and Windows: stays until dismissed (an offer). */
  timeoutType?: 'never';
  /** Linux: a critical notification is not hidden by the notification server. */
  urgency?: 'critical';
}

export function notificationOptions(
  n: DesktopNotification,
  platform: NodeJS.Platform,
): NativeNotificationOptions {
  // Linux notification servers may read the body as markup (bold, links): a colleague's text is
  // shown as text there, never formatted or made clickable.
  const body = platform === 'linux' ? escapeMarkup(n.body) : n.body;
  const base = {
    title: n.title,
    body,
    silent: n.silent,
    ...(n.persistent ? { timeoutType: 'never' as const } : {}),
    ...(n.persistent && platform === 'linux' ? { urgency: 'critical' as const } : {}),
  };
  if (platform !== 'darwin') return base;
  return {
    ...base,
    ...(n.replyable ? { hasReply: true, replyPlaceholder: 'Reply…' } : {}),
    ...(n.actions.length
      ? { actions: n.actions.map((a) => ({ type: 'button' as const, text: a.label })) }
      : {}),
  };
}

/** The freedesktop notification body's markup characters, escaped (`&` first). */
export function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
