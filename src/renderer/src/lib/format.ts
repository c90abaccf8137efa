// Small display helpers: initials, relative and clock times, inbox kind labels, banner texts.
import type { NotifyKind } from '../../../shared/domain/kinds.ts';
import type { EngineStateView } from '../../../shared/ipc/contract.ts';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = [...(parts[0] ?? '')][0] ?? '';
  const last = parts.length > 1 ? ([...(parts[parts.length - 1] ?? '')][0] ?? '') : '';
  return (first + last).toUpperCase() || '?';
}

/** A stable hue (0–359) for a user's avatar. */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}

export function relativeTime(at: number, now: number = Date.now()): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.round(h / 24);
  if (d < 7) return `${d}d`;
  return new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function fullTime(at: number): string {
  return new Date(at).toLocaleString();
}

export const KIND_LABEL: Record<NotifyKind, string> = {
  mention: 'mention',
  direct: 'direct',
  reaction: 'reaction',
  message: 'message',
  offer: 'offer',
  customer: 'customer',
};

export type Connection = EngineStateView['connection'];

/**
 * The banner's text for a connection state, or null when all is well. Offline, the engine's notice
 * says why in words (a proxy that cannot be reached, a certificate not trusted) when it knows.
 */
export function bannerText(
  c: Connection,
  { demo = false, notice }: { demo?: boolean; notice?: string | undefined } = {},
): string | null {
  // The demo org signs in again by itself: no form, only what is happening.
  if (demo && c === 'needs-sign-in') return 'The demo session ended. Signing in again…';
  if (demo && c === 'signing-in') return 'Signing in to the demo org…';
  switch (c) {
    case 'offline':
      return notice
        ? `${notice} Messages you send are kept and sent when the connection is back.`
        : "You're offline. Messages you send are kept and sent when the connection is back.";
    case 'polling':
      return 'Live updates paused, checking every few seconds.';
    case 'needs-sign-in':
      return 'Your session ended. Sign in again to keep receiving messages.';
    case 'connecting':
      return 'Connecting…';
    default:
      return null;
  }
}

/** Tomorrow at 08:00 local time, as epoch ms. */
export function tomorrowAt8(now: number = Date.now()): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

/** How long a chat mute lasts, in words. */
export function muteLabel(mute: { until?: number }, now: number = Date.now()): string {
  if (mute.until === undefined) return 'Muted until you unmute';
  const until = new Date(mute.until);
  const sameDay = until.toDateString() === new Date(now).toDateString();
  return sameDay
    ? `Muted until ${clockTime(mute.until)}`
    : `Muted until ${until.toLocaleDateString(undefined, { weekday: 'short' })} ${clockTime(mute.until)}`;
}
