// Display helpers for customer conversations: waiting times, offer countdowns, delivery ticks,
// channel glyphs, and a throttle for the typing indicator.
import type { ChannelType } from '../../../shared/interactions/channels.ts';
import type { DeliveryStatus, InteractionView } from '../../../shared/ipc/contract.ts';

/** How long a customer has waited, in words ("3 min", "1 h 5 min"); "just now" under a minute. */
export function waitingFor(since: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Seconds left on an offer as m:ss, or null once it has run out. */
export function countdown(deadline: number, now: number): string | null {
  const left = Math.ceil((deadline - now) / 1000);
  if (left <= 0) return null;
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** The tick beside an agent's message and what it says to a screen reader. */
export const DELIVERY: Record<DeliveryStatus, { glyph: string; label: string }> = {
  sent: { glyph: '✓', label: 'Sent' },
  delivered: { glyph: '✓✓', label: 'Delivered' },
  read: { glyph: '✓✓', label: 'Read' },
  failed: { glyph: '!', label: 'Not delivered' },
};

/** A small glyph per channel, beside its name (decorative: the name is always shown or labelled). */
export const CHANNEL_GLYPH: Record<ChannelType, string> = {
  sms: '✉',
  whatsapp: '☏',
  webmessaging: '🌐',
  open: '⇄',
  facebook: 'f',
  instagram: '◎',
  twitter: '𝕏',
  line: 'L',
  viber: 'V',
  wechat: 'W',
  telegram: '➤',
  kakao: 'K',
  apple: 'A',
  unknown: '💬',
};

const STATE_ORDER: Record<InteractionView['state'], number> = {
  offered: 0,
  connected: 1,
  wrapup: 2,
  ended: 3,
};

/** Offers first, then customers waiting longest, then the rest by their newest message. */
export function sortInteractions(list: InteractionView[]): InteractionView[] {
  return [...list].sort((a, b) => {
    const s = STATE_ORDER[a.state] - STATE_ORDER[b.state];
    if (s !== 0) return s;
    const wa = a.waitingSince ?? Infinity;
    const wb = b.waitingSince ?? Infinity;
    if (wa !== wb) return wa - wb;
    return (b.lastMessage?.at ?? 0) - (a.lastMessage?.at ?? 0);
  });
}

/** WhatsApp's customer service window: free text only within 24 hours of the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/** The customer's "typing…" lasts a few seconds; one typing event per this many ms keeps it up. */
export const TYPING_EVERY_MS = 4000;

/**
 * Calls `send` at most once per `intervalMs` while `poke` keeps being called (each keystroke pokes):
 * the customer sees "typing…" without a request per key.
 */
export function throttle(send: () => void, intervalMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  return {
    poke(): void {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      send();
    },
    /** After sending a reply: the next keystroke says "typing" again at once. */
    reset(): void {
      last = -Infinity;
    },
  };
}
