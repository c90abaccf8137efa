// Whether one chat event should notify the user now, wait for quiet hours / do-not-disturb to end,
// be ignored, or withdraw a notification already shown. Pure: the same inputs always give the same answer.
import { parseClockTime } from '../../shared/domain/clock-time.ts';
import {
  capabilitiesOf,
  type HoldCause,
  type NotifyKind,
  type NotifyReason,
} from '../../shared/domain/kinds.ts';
import { isMuteActive, muteOf } from '../../shared/domain/mute.ts';
import { addedReactions, type AddedReaction } from '../../shared/domain/reactions.ts';
import type { AppRules, ChatEvent, ChatMessage, QuietHours, ServerSettings } from './model.ts';

export type { HoldCause, NotifyKind, NotifyReason };
export type IgnoreReason =
  | 'own-message'
  | 'edit'
  | 'server-muted'
  | 'chat-muted'
  | 'mentions-only'
  | 'not-my-message'
  | 'reactions-off'
  | 'no-new-reaction'
  /** A customer message the user is not answering (inside an offer, or not connected). */
  | 'context';

export type Decision =
  | { action: 'notify'; kind: NotifyKind; reason: NotifyReason }
  /** Would notify, but quiet hours or DND are on: keep it for the summary when they end. */
  | { action: 'hold'; kind: NotifyKind; reason: NotifyReason; heldBy: HoldCause }
  | { action: 'ignore'; reason: IgnoreReason }
  /** The message is gone: take back its notification if one is showing or held. */
  | { action: 'withdraw'; chatId: string; messageId: string };

/** A local wall-clock reading: weekday 0 = Sunday … 6 = Saturday, minutes since local midnight. */
export interface LocalTime {
  weekday: number;
  minutes: number;
}
export type LocalClock = (epochMs: number) => LocalTime;

export interface DecisionContext {
  me: { id: string; jid?: string };
  server: ServerSettings;
  app: AppRules;
  now: number;
  /** How to read local wall-clock time for quiet hours; defaults to the host's time zone. */
  localTime?: LocalClock;
}

/** The host's local time zone (daylight saving included), as the OS reports it. */
export const hostClock: LocalClock = (epochMs) => {
  const date = new Date(epochMs);
  return { weekday: date.getDay(), minutes: date.getHours() * 60 + date.getMinutes() };
};

/** A fixed offset from UTC in minutes east (CET is 60, New York in winter is -300). */
export function fixedOffsetClock(offsetMinutes: number): LocalClock {
  return (epochMs) => {
    const date = new Date(epochMs + offsetMinutes * 60_000);
    return { weekday: date.getUTCDay(), minutes: date.getUTCHours() * 60 + date.getUTCMinutes() };
  };
}

/**
 * Decides one event. Order: a delete always withdraws; the user's own messages and any edit never
 * notify; `server.muted` silences everything; a per-chat mute silences that chat, mentions included
 * (as in Slack, a mention does not pierce a mute); then the event's own rule; finally DND or quiet
 * hours turn a notification into a hold.
 */
export function decide(event: ChatEvent, ctx: DecisionContext): Decision {
  if (event.type === 'deleted') {
    return { action: 'withdraw', chatId: event.chatId, messageId: event.messageId };
  }
  const { message } = event;
  if (event.type !== 'reactions' && isMe(message.senderId, ctx)) return ignore('own-message');
  if (event.type === 'edited') return ignore('edit');
  if (ctx.server.muted) return ignore('server-muted');
  if (isChatMuted(ctx.app, message.chatId, ctx.now)) return ignore('chat-muted');

  const verdict = event.type === 'created' ? classifyMessage(message, ctx) : classifyReaction(event, ctx);
  if (verdict.action !== 'notify') return verdict;
  const heldBy = activeHold(ctx.app, ctx.now, ctx.localTime ?? hostClock);
  return heldBy ? { action: 'hold', kind: verdict.kind, reason: verdict.reason, heldBy } : verdict;
}

function classifyMessage(message: ChatMessage, ctx: DecisionContext): Decision {
  if (message.mentions.some((id) => isMe(id, ctx))) return notify('mention', 'mention');
  if (message.notifyAll) return notify('mention', 'notify-all');
  // Where "mentions only" does not apply (a 1on1), every message is addressed to the user.
  const { mentionsOnly } = capabilitiesOf(message.chatKind);
  if (!mentionsOnly) return notify('direct', 'direct');
  if (matchesKeyword(message.body, ctx.app.keywords)) return notify('message', 'keyword');
  if (ctx.server.mentionsOnly) return ignore('mentions-only');
  return notify('message', 'room-message');
}

function classifyReaction(event: Extract<ChatEvent, { type: 'reactions' }>, ctx: DecisionContext): Decision {
  if (!isMe(event.message.senderId, ctx)) return ignore('not-my-message');
  if (!ctx.server.notifyOnReactions) return ignore('reactions-off');
  return reactionsAdded(event, ctx).length > 0 ? notify('reaction', 'reaction') : ignore('no-new-reaction');
}

/**
 * The reactions a reactions event added, by others than the user: what decides whether it notifies,
 * what the notification says, and who the held summary names. Computed here only.
 */
export function reactionsAdded(
  event: Extract<ChatEvent, { type: 'reactions' }>,
  ctx: Pick<DecisionContext, 'me'>,
): AddedReaction[] {
  return addedReactions(event.message.reactions, event.previous, (userId) => isMe(userId, ctx));
}

/** Whether `chatId` is muted by the app at `now`; a mute whose `until` has passed no longer counts. */
export function isChatMuted(app: AppRules, chatId: string, now: number): boolean {
  return isMuteActive(muteOf(app.chatMutes, chatId), now);
}

/** Why notifications are being held at `now`, if they are: DND first, then quiet hours. */
export function activeHold(app: AppRules, now: number, clock: LocalClock = hostClock): HoldCause | undefined {
  if (app.dnd) return 'dnd';
  if (app.quietHours && inQuietHours(app.quietHours, clock(now))) return 'quiet-hours';
  return undefined;
}

/**
 * Whether a local time falls in the quiet-hours window. The window is [start, end); one whose end is
 * before its start runs over midnight and belongs to the weekday it starts on (Fri 22:00–07:00 covers
 * Saturday 03:00 but not Friday 03:00). start === end means the whole day. A malformed time never matches.
 */
export function inQuietHours(quiet: QuietHours, at: LocalTime): boolean {
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === undefined || end === undefined) return false;
  const startsOn = (weekday: number) => quiet.days === undefined || quiet.days.includes(weekday);
  const yesterday = (at.weekday + 6) % 7;
  if (start === end) return startsOn(at.weekday);
  if (start < end) return at.minutes >= start && at.minutes < end && startsOn(at.weekday);
  if (at.minutes >= start) return startsOn(at.weekday);
  return at.minutes < end && startsOn(yesterday);
}

/**
 * Whether `body` contains one of `keywords` as a whole word, ignoring case: "deploy" matches "Deploy!"
 * but not "deployment". A keyword may hold spaces or symbols ("on call", "c++"); blank ones are skipped.
 */
export function matchesKeyword(body: string, keywords: readonly string[]): boolean {
  return keywords.some((raw) => {
    const keyword = raw.trim();
    if (keyword === '') return false;
    const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(body);
  });
}

function isMe(userId: string, ctx: Pick<DecisionContext, 'me'>): boolean {
  return userId === ctx.me.id || (ctx.me.jid !== undefined && userId === ctx.me.jid);
}

function notify(kind: NotifyKind, reason: NotifyReason): Decision {
  return { action: 'notify', kind, reason };
}

function ignore(reason: IgnoreReason): Decision {
  return { action: 'ignore', reason };
}
