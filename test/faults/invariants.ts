// The fault suite's invariants, as pure functions of what the script did (ground truth), what the
// engine showed, what the simulator holds and which requests it received. "Notifiable" is computed
// here from the user's settings and the script's own record of each message, never from the engine.
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import type { ChatKind } from '../../src/shared/domain/kinds.ts';
import {
  checkCustomers,
  emptyCustomerCounts,
  type CustomerCounts,
  type CustomerObservation,
} from './customer-invariants.ts';

/** The engine's request budget (src/main/genesys/budget.ts: 200 requests in any rolling minute). */
export const BUDGET_PER_MINUTE = 200;
/** Genesys Cloud's own limit: 300 API requests a minute per user and OAuth client. */
export const GENESYS_PER_MINUTE = 300;
const WINDOW_MS = 60_000;

/** The user's settings as the round set them, resolved to chat ids. */
export interface TruthSettings {
  mentionsOnly: boolean;
  notifyOnReactions: boolean;
  keywords: string[];
  /** Chat ids (room jids) muted in the app. */
  mutedChats: string[];
}

/** A message a scripted colleague posted. */
export interface TruthMessage {
  id: string;
  step: string;
  /** As notifications name chats: a room's jid, or the other user's id for a 1on1. */
  chatId: string;
  chatKind: ChatKind;
  senderId: string;
  mentionsMe: boolean;
  body: string;
  edited: boolean;
  deleted: boolean;
}

/** A colleague's reaction to one of the user's messages. */
export interface TruthReaction {
  step: string;
  messageId: string;
  chatId: string;
  chatKind: ChatKind;
  reactorId: string;
  emoji: string;
  /** Push was up (no fault disturbing it) when it was made: reactions are only ever pushed. */
  pushUp: boolean;
}

/** One of the user's actions, and what the simulator holds for it after the round. */
export interface ActionOutcome {
  step: string;
  kind: 'reply' | 'react' | 'pin';
  /** The outbox accepted it (saved, to be sent). */
  queued: boolean;
  /** The outbox's last word on it. */
  finalState?: 'queued' | 'sending' | 'sent' | 'failed';
  error?: string;
  /**
   * How many times the simulator holds it: replies, messages by the user with the reply's text in
   * the chat; reactions, the user's entries for the emoji on the message; pins, entries in the
   * chat's pin list.
   */
  copies: number;
}

export interface RequestRecord {
  receivedAt: number;
  method: string;
  path: string;
  status: number;
}

export interface RoundObservation {
  meId: string;
  settings: TruthSettings;
  messages: TruthMessage[];
  reactions: TruthReaction[];
  notifications: NotificationOut[];
  actions: ActionOutcome[];
  requests: RequestRecord[];
  /** Set when the engine never settled after the faults were lifted. */
  settleError?: string;
  /** The user's connected notification sockets once the engine had settled (should be 1). */
  channelsSettled: number;
  /** After the engine was stopped: sockets still connected, API requests still arriving (both 0). */
  afterStop: { channels: number; requests: number; paths?: string[] };
  /** Customers and the user's customer conversations (customer-invariants.ts). */
  customers?: CustomerObservation;
  /** When each engine after the first was started (restarts; real epoch ms): each has its own budget. */
  engineStarts?: number[];
}

export interface RoundCounts extends CustomerCounts {
  messages: number;
  notifiable: number;
  /** Notifiable messages and reactions told exactly once. */
  notified: number;
  duplicates: number;
  missed: number;
  forbidden: number;
  /** Digest notifications seen (a backlog of more than 3 in one chat). */
  digests: number;
  reactions: number;
  reactionsNotifiable: number;
  /** Excluded from exactly-once (see EXCLUSIONS): deleted messages, reactions made while push was down. */
  excluded: number;
  /** The user's actions the engine refused to queue: a failure (it queues whenever it knows the account). */
  actionsNotQueued: number;
  actionsQueued: number;
  actionsApplied: number;
  doubleApplied: number;
  actionsNotApplied: number;
  /** The most API requests of one engine in any 60 s. */
  maxRequestsPerMinute: number;
  /** The most API requests in any 60 s, engines before and after a restart together. */
  maxRequestsAcrossRestarts: number;
}

export interface RoundReport {
  counts: RoundCounts;
  failures: string[];
}

// EXCLUSIONS: what the invariants deliberately do not require, with the reason (the engine's
// documented limits):
// - A message its sender deletes may be notified at most once, not exactly once: deleted before the
//   engine saw it (push down, then the backfill no longer finds it) it is never notified, by design.
// - A reaction made while push was disturbed may be missed: reactions, edits and deletes are pushed
//   only; the backfill after a gap reads created messages (watch/README.md). At most once is still
//   required.
// - Reactions in 1on1s are never scripted: 1on1s have no message topic, so Genesys pushes nothing
//   for their edits or reactions (only badges for new messages).
// - Each of the user's messages gets at most one scripted reaction (a digest names the message, not
//   which of its reactions it stands for). Reactions told are kept across restarts (reactionsTold).
// - Edits keep the mention and keyword of the post: an edit never notifies, and a post edited before
//   it is seen is judged as edited, so changing what makes it notifiable would make the expectation
//   racy.

/** Whether the rules, applied to ground truth, say a colleague's message must notify the user. */
export function messageNotifiable(m: TruthMessage, s: TruthSettings, meId: string): boolean {
  if (m.senderId === meId) return false;
  if (s.mutedChats.includes(m.chatId)) return false;
  if (m.mentionsMe) return true;
  if (m.chatKind === 'oneOnOne') return true;
  if (s.keywords.some((k) => containsWord(m.body, k))) return true;
  return !s.mentionsOnly;
}

export function reactionNotifiable(r: TruthReaction, s: TruthSettings, meId: string): boolean {
  return r.reactorId !== meId && s.notifyOnReactions && !s.mutedChats.includes(r.chatId);
}

/** The largest number of requests in any rolling 60 s window (t - 60 s, t]. */
export function maxPerWindow(times: readonly number[], windowMs = WINDOW_MS): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] as number) <= (sorted[end] as number) - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

export function checkRound(o: RoundObservation): RoundReport {
  const failures: string[] = [];
  // Customer conversations (their offers, messages and digests) are checked by checkCustomers.
  const customerChats = new Set(o.customers?.conversations ?? []);
  const isCustomers = (n: NotificationOut): boolean =>
    n.kind === 'offer' || n.kind === 'customer' || customerChats.has(n.chatId);
  const chatNotifications = o.notifications.filter((n) => !isCustomers(n));
  const customers = o.customers ? checkCustomers(o.notifications, o.customers) : undefined;
  const counts: RoundCounts = {
    ...emptyCounts(),
    ...customers?.counts,
    messages: o.messages.length,
    digests: chatNotifications.filter((n) => n.kind === 'digest').length,
    reactions: o.reactions.length,
  };
  if (customers) failures.push(...customers.failures);
  else {
    const stray = o.notifications.length - chatNotifications.length;
    if (stray > 0) failures.push(`forbidden: ${stray} customer notification(s) in a round without customers`);
  }

  // How often each message was told: in a single notification or inside a digest. A digest of a
  // backlog may also carry reactions: its id of one of the user's messages a colleague reacted to
  // (and did not post) stands for that reaction.
  const told = new Map<string, number>();
  const reactionTold = new Map<string, NotificationOut[]>();
  const reactedTo = new Set(o.reactions.map((r) => r.messageId));
  const posted = new Set(o.messages.map((m) => m.id));
  const tellReaction = (id: string, n: NotificationOut): void => {
    reactionTold.set(id, [...(reactionTold.get(id) ?? []), n]);
  };
  for (const n of chatNotifications) {
    if (n.kind === 'reaction') {
      tellReaction(n.messageId, n);
      continue;
    }
    for (const id of new Set(n.messageIds)) {
      if (n.kind === 'digest' && reactedTo.has(id) && !posted.has(id)) tellReaction(id, n);
      else told.set(id, (told.get(id) ?? 0) + 1);
    }
  }

  // 1 and 2: messages.
  const byId = new Map(o.messages.map((m) => [m.id, m]));
  for (const m of o.messages) {
    const times = told.get(m.id) ?? 0;
    const should = messageNotifiable(m, o.settings, o.meId);
    if (!should) {
      if (times > 0) {
        counts.forbidden++;
        failures.push(
          `forbidden: ${m.step} (${m.id}) notified ${times}x but the rules forbid it (${why(m, o)})`,
        );
      }
      continue;
    }
    if (m.deleted) {
      counts.excluded++;
      if (times > 1) {
        counts.duplicates++;
        failures.push(`duplicate: deleted ${m.step} (${m.id}) notified ${times}x`);
      }
      continue;
    }
    counts.notifiable++;
    if (times === 1) counts.notified++;
    else if (times === 0) {
      counts.missed++;
      failures.push(`missed: ${m.step} (${m.id}) in ${m.chatKind} ${m.chatId} was never notified`);
    } else {
      counts.duplicates++;
      failures.push(`duplicate: ${m.step} (${m.id}) notified ${times}x`);
    }
  }
  for (const [id, times] of told) {
    if (byId.has(id)) continue;
    counts.forbidden++;
    failures.push(
      `forbidden: ${id} notified ${times}x but no colleague posted it this round (own or history)`,
    );
  }

  // 1 and 2: reactions to the user's messages.
  const reactionsByMessage = new Map<string, TruthReaction>();
  for (const r of o.reactions) reactionsByMessage.set(r.messageId, r);
  for (const r of o.reactions) {
    const shown = reactionTold.get(r.messageId) ?? [];
    if (!reactionNotifiable(r, o.settings, o.meId)) {
      if (shown.length > 0) {
        counts.forbidden++;
        failures.push(
          `forbidden: reaction ${r.step} on ${r.messageId} notified ${shown.length}x (reactions off or muted)`,
        );
      }
      continue;
    }
    counts.reactionsNotifiable++;
    for (const n of shown) {
      if (n.kind === 'reaction' && !n.title.includes(r.emoji))
        failures.push(`reaction ${r.step}: notification names the wrong emoji: ${n.title}`);
    }
    if (!r.pushUp) {
      counts.excluded++;
      if (shown.length > 1) {
        counts.duplicates++;
        failures.push(`duplicate: reaction ${r.step} on ${r.messageId} notified ${shown.length}x`);
      }
      continue;
    }
    counts.notifiable++;
    if (shown.length === 1) counts.notified++;
    else if (shown.length === 0) {
      counts.missed++;
      failures.push(`missed: reaction ${r.step} (${r.emoji} on ${r.messageId}) was never notified`);
    } else {
      counts.duplicates++;
      failures.push(`duplicate: reaction ${r.step} on ${r.messageId} notified ${shown.length}x`);
    }
  }
  for (const [messageId, shown] of reactionTold) {
    if (reactionsByMessage.has(messageId)) continue;
    counts.forbidden += shown.length;
    failures.push(
      `forbidden: ${shown.length} reaction notification(s) on ${messageId}, which no colleague reacted to`,
    );
  }

  // 3: the user's actions, each applied exactly once.
  for (const a of o.actions) {
    if (!a.queued) {
      counts.actionsNotQueued++;
      failures.push(`not queued: ${a.kind} ${a.step}${a.error ? ` (${a.error})` : ''}`);
      if (a.copies > 0) failures.push(`applied without being queued: ${a.kind} ${a.step}`);
      continue;
    }
    counts.actionsQueued++;
    if (a.copies === 1 && a.finalState === 'sent') counts.actionsApplied++;
    else if (a.copies > 1) {
      counts.doubleApplied++;
      failures.push(`double-applied: ${a.kind} ${a.step} is in the simulator ${a.copies}x`);
    } else {
      counts.actionsNotApplied++;
      failures.push(
        `not applied: ${a.kind} ${a.step} ended ${a.finalState ?? 'unknown'} with ${a.copies} cop${a.copies === 1 ? 'y' : 'ies'}` +
          (a.error ? ` (${a.error})` : ''),
      );
    }
  }

  // 4: the request budget.
  const api = o.requests.filter((r) => r.path.startsWith('/api/v2/'));
  // Each engine has its own budget (a restarted app starts a new one): each engine keeps it, and
  // together across restarts they stay under Genesys's own limit.
  const starts = [...(o.engineStarts ?? [])].sort((a, b) => a - b);
  const bounds = [-Infinity, ...starts, Infinity];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const mine = api.filter((r) => r.receivedAt >= bounds[i]! && r.receivedAt < bounds[i + 1]!);
    counts.maxRequestsPerMinute = Math.max(
      counts.maxRequestsPerMinute,
      maxPerWindow(mine.map((r) => r.receivedAt)),
    );
  }
  counts.maxRequestsAcrossRestarts = maxPerWindow(api.map((r) => r.receivedAt));
  if (counts.maxRequestsPerMinute > BUDGET_PER_MINUTE) {
    failures.push(
      `budget: ${counts.maxRequestsPerMinute} API requests of one engine within 60 s (budget ${BUDGET_PER_MINUTE})`,
    );
  }
  if (counts.maxRequestsAcrossRestarts > GENESYS_PER_MINUTE) {
    failures.push(
      `limit: ${counts.maxRequestsAcrossRestarts} API requests within 60 s across restarts (Genesys allows ${GENESYS_PER_MINUTE})`,
    );
  }

  if (o.settleError) failures.push(`settle: ${o.settleError}`);
  // Nothing leaks: one socket while running, no socket and no request once stopped.
  if (!o.settleError && o.channelsSettled !== 1)
    failures.push(`leak: ${o.channelsSettled} connected notification sockets after settling (expected 1)`);
  if (o.afterStop.channels > 0 || o.afterStop.requests > 0)
    failures.push(
      `leak: after stop(), ${o.afterStop.channels} socket(s) still connected and ${o.afterStop.requests} API request(s)` +
        (o.afterStop.paths?.length ? ` (${o.afterStop.paths.join(', ')})` : ''),
    );
  return { counts, failures };
}

function why(m: TruthMessage, o: RoundObservation): string {
  if (o.settings.mutedChats.includes(m.chatId)) return 'muted chat';
  if (m.senderId === o.meId) return 'own message';
  return 'mentions only, no mention or keyword';
}

/** Whole word, any case (as the rules match keywords). */
function containsWord(body: string, word: string): boolean {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return escaped !== '' && new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(body);
}

/** Sums the counts of several rounds (the `max…` counts: the largest). */
export function addCounts(a: RoundCounts, b: RoundCounts): RoundCounts {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof RoundCounts)[]) {
    out[key] = key.startsWith('max') ? Math.max(a[key], b[key]) : a[key] + b[key];
  }
  return out;
}

export function emptyCounts(): RoundCounts {
  return {
    ...emptyCustomerCounts(),
    messages: 0,
    notifiable: 0,
    notified: 0,
    duplicates: 0,
    missed: 0,
    forbidden: 0,
    digests: 0,
    reactions: 0,
    reactionsNotifiable: 0,
    excluded: 0,
    actionsNotQueued: 0,
    actionsQueued: 0,
    actionsApplied: 0,
    doubleApplied: 0,
    actionsNotApplied: 0,
    maxRequestsPerMinute: 0,
    maxRequestsAcrossRestarts: 0,
  };
}
