// What the engine tells the notification layer: one notification per decision (or one digest per
// chat for a backlog), already titled, and the port the desktop shell or the headless runner
// implements to show and withdraw them.
import type { ChatSummary } from './digest.ts';
import type { ChatRef } from './model.ts';
import {
  capabilitiesOf,
  unreachable,
  type NotificationKind,
  type NotifyKind,
} from '../../shared/domain/kinds.ts';
import { stripBidiControls } from '../../shared/text/bidi.ts';

export interface NotificationOut {
  kind: NotificationKind;
  chatId: string;
  chatName: string;
  /** The message it is about (the newest one, for a digest). */
  messageId: string;
  messageIds: string[];
  title: string;
  body: string;
  at: number;
  threadId?: string;
  /** A customer conversation's channel (sms, whatsapp, ...), for offers and customer messages. */
  channel?: string;
  /** An offer: epoch ms it stops alerting, when known (the notification shows the time left). */
  expiresAt?: number;
}

export interface Notifier {
  show(notification: NotificationOut): void;
  /** Take back the notifications of these messages (read, deleted). */
  withdraw(messageIds: string[]): void;
}

const MAX_BODY = 300;

/** One line of at most `max` characters, without bidi controls (they could make it read otherwise). */
export function clip(text: string, max = MAX_BODY): string {
  const flat = stripBidiControls(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface SingleInput {
  kind: NotifyKind;
  chat: ChatRef;
  messageId: string;
  senderName: string;
  text: string;
  at: number;
  threadId?: string;
  /** For reactions: the emoji added. */
  emoji?: string;
  /** For offers and customer messages: the channel. */
  channel?: string;
  /** For offers: epoch ms the offer stops alerting. */
  expiresAt?: number;
  /** For offers: the time the notification is made (the time left counts from it; default `at`). */
  now?: number;
}

const CHANNEL_LABELS: Record<string, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  webmessaging: 'Web messaging',
  open: 'Open messaging',
  facebook: 'Facebook',
  instagram: 'Instagram',
  twitter: 'X',
  line: 'LINE',
  apple: 'Apple Messages',
};

/** What the user reads for a messaging channel ("WhatsApp"); an unknown one as sent, or "Message". */
export function channelLabel(channel: string | undefined): string {
  if (!channel) return 'Message';
  return CHANNEL_LABELS[channel.toLowerCase()] ?? clip(channel, 40);
}

/** "1 min 30 s left" from `ms`; nothing when unknown or past. */
function timeLeft(ms: number | undefined): string {
  if (ms === undefined || ms <= 0) return '';
  const s = Math.ceil(ms / 1000);
  const min = Math.floor(s / 60);
  return min > 0 ? `${min} min${s % 60 ? ` ${s % 60} s` : ''} left` : `${s} s left`;
}

export function singleNotification(i: SingleInput): NotificationOut {
  const who = i.senderName || 'Someone';
  let title: string;
  switch (i.kind) {
    case 'direct':
      title = who;
      break;
    case 'reaction':
      title = `${who} reacted ${i.emoji ?? ''} to your message`.replace(/\s+/g, ' ');
      break;
    case 'mention':
    case 'message':
      title = capabilitiesOf(i.chat.kind).titleNamesChat ? `${who} in ${i.chat.name}` : who;
      break;
    case 'offer':
      title = `${channelLabel(i.channel)} from ${i.senderName || 'a customer'}`;
      break;
    case 'customer':
      title = `${who} (${channelLabel(i.channel)})`;
      break;
    default:
      return unreachable(i.kind, 'notification kind');
  }
  const left = i.kind === 'offer' && i.expiresAt !== undefined ? timeLeft(i.expiresAt - (i.now ?? i.at)) : '';
  const text =
    i.kind === 'offer'
      ? // The message is cut first, so the time left always shows.
        [i.text ? `“${clip(i.text, 200)}”` : 'New conversation', left].filter(Boolean).join(' · ')
      : i.text;
  const body = clip(text);
  return {
    kind: i.kind,
    chatId: i.chat.id,
    chatName: stripBidiControls(i.chat.name),
    messageId: i.messageId,
    messageIds: [i.messageId],
    title: stripBidiControls(title),
    body,
    at: i.at,
    ...(i.threadId ? { threadId: i.threadId } : {}),
    ...(i.channel !== undefined ? { channel: i.channel } : {}),
    ...(i.expiresAt !== undefined ? { expiresAt: i.expiresAt } : {}),
  };
}

/** One notification for many messages of a chat: a backlog after a gap, or what quiet hours held. */
export function digestNotification(
  summary: ChatSummary,
  chat: ChatRef,
  why: 'backlog' | 'held',
): NotificationOut {
  const mentions = (summary.kinds.mention ?? 0) + (summary.kinds.direct ?? 0);
  const names = summary.senderNames.filter(Boolean);
  const from = names.length
    ? ` from ${names.join(', ')}${summary.count > names.length ? ' and others' : ''}`
    : '';
  const noun = summary.count === 1 ? 'message' : 'messages';
  const lead = why === 'held' ? 'While you were away: ' : '';
  return {
    kind: 'digest',
    chatId: chat.id,
    chatName: stripBidiControls(chat.name),
    messageId: summary.messageIds[summary.messageIds.length - 1] ?? '',
    messageIds: [...summary.messageIds],
    title: stripBidiControls(chat.name),
    body: clip(`${lead}${summary.count} new ${noun}${from}${mentions ? ` (${mentions} for you)` : ''}`),
    at: summary.newestAt,
  };
}
