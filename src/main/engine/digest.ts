// Turns decided events into what the user sees: one notification each, one digest per chat for a
// backlog, and a queue that keeps everything quiet hours or DND held back until it can be summarised.
import { z } from 'zod';
import {
  HoldCauseSchema,
  NotifyKindSchema,
  NotifyReasonSchema,
  type HoldCause,
  type NotifyKind,
  type NotifyReason,
} from '../../shared/domain/kinds.ts';
import type { AddedReaction } from '../../shared/domain/reactions.ts';
import type { ChatEvent } from './model.ts';
import type { Decision } from './rules.ts';

export interface DecidedEvent {
  event: ChatEvent;
  decision: Decision;
  /** For a reactions event: the reactions it added by others than the user (`rules.reactionsAdded`). */
  added?: readonly AddedReaction[];
}

/** One thing worth telling the user about, reduced to what a notification or a summary shows. */
export interface NotifiableItem {
  chatId: string;
  messageId: string;
  kind: NotifyKind;
  reason: NotifyReason;
  /** Who caused it: the sender of a message, the users who added a reaction. */
  actorIds: string[];
  senderName?: string;
  /** The message's `createdAt` (for a reaction, the time of the message reacted to). */
  at: number;
}

/** A backlog or a held stretch of one chat, as one notification. */
export interface ChatSummary {
  chatId: string;
  count: number;
  kinds: Partial<Record<NotifyKind, number>>;
  /** Distinct sender names, newest first, at most `maxSenderNames`. */
  senderNames: string[];
  /** Distinct message ids, oldest first. */
  messageIds: string[];
  oldestAt: number;
  newestAt: number;
}

export type Delivery =
  { type: 'single'; item: NotifiableItem; event: ChatEvent } | ({ type: 'digest' } & ChatSummary);

export interface DigestOptions {
  /** A chat with MORE than this many notifiable items in one batch gets a digest (default 3). */
  threshold?: number;
  maxSenderNames?: number;
}

/** The notifiable part of a decided event (a `notify` or `hold` decision), or undefined. */
export function toNotifiable({ event, decision, added }: DecidedEvent): NotifiableItem | undefined {
  if (decision.action !== 'notify' && decision.action !== 'hold') return undefined;
  if (event.type === 'deleted') return undefined;
  const { message } = event;
  const actorIds =
    event.type === 'reactions' ? [...new Set((added ?? []).map((r) => r.userId))] : [message.senderId];
  const item: NotifiableItem = {
    chatId: message.chatId,
    messageId: message.id,
    kind: decision.kind,
    reason: decision.reason,
    actorIds,
    at: message.createdAt,
  };
  if (event.type !== 'reactions' && message.senderName !== undefined) item.senderName = message.senderName;
  return item;
}

/**
 * Plans the notifications for ONE backfill batch (events in the order they happened, oldest first):
 * per chat, up to `threshold` notify decisions stay individual notifications, more become one digest.
 * Only `notify` decisions count; holds belong in a `HeldQueue`. Deliveries come out ordered by the
 * time of their newest item, so the last one shown is the most recent.
 */
export function planDeliveries(batch: readonly DecidedEvent[], options: DigestOptions = {}): Delivery[] {
  const threshold = options.threshold ?? 3;
  const byChat = new Map<string, { item: NotifiableItem; event: ChatEvent }[]>();
  for (const decided of batch) {
    if (decided.decision.action !== 'notify') continue;
    const item = toNotifiable(decided);
    if (!item) continue;
    const list = byChat.get(item.chatId) ?? [];
    list.push({ item, event: decided.event });
    byChat.set(item.chatId, list);
  }
  const deliveries: { newest: number; delivery: Delivery }[] = [];
  for (const all of byChat.values()) {
    // An offer is always its own notification: it carries Accept and Decline, a digest cannot.
    const entries = all.filter((entry) => entry.item.kind !== 'offer');
    for (const offer of all.filter((entry) => entry.item.kind === 'offer'))
      deliveries.push({ newest: offer.item.at, delivery: { type: 'single', ...offer } });
    if (entries.length > threshold) {
      const summary = summarise(
        entries.map((entry) => entry.item),
        options.maxSenderNames,
      );
      deliveries.push({ newest: summary.newestAt, delivery: { type: 'digest', ...summary } });
    } else {
      for (const { item, event } of entries) {
        deliveries.push({ newest: item.at, delivery: { type: 'single', item, event } });
      }
    }
  }
  return deliveries.sort((a, b) => a.newest - b.newest).map((entry) => entry.delivery);
}

/** Summarises items of ONE chat given oldest first. */
export function summarise(items: readonly NotifiableItem[], maxSenderNames = 3): ChatSummary {
  const first = items[0];
  if (!first) throw new RangeError('nothing to summarise');
  const kinds: Partial<Record<NotifyKind, number>> = {};
  // A Set keeps the first of each id in order; a search of the list per item was quadratic (a
  // catch-up digests up to 2,000 messages of one chat).
  const messageIds = [...new Set(items.map((item) => item.messageId))];
  const senderNames: string[] = [];
  for (const item of items) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
  for (let i = items.length - 1; i >= 0 && senderNames.length < maxSenderNames; i--) {
    const name = items[i]?.senderName;
    if (name !== undefined && !senderNames.includes(name)) senderNames.push(name);
  }
  return {
    chatId: first.chatId,
    count: items.length,
    kinds,
    senderNames,
    messageIds,
    oldestAt: items.reduce((min, item) => Math.min(min, item.at), first.at),
    newestAt: items.reduce((max, item) => Math.max(max, item.at), first.at),
  };
}

const HeldItemSchema = z.object({
  chatId: z.string(),
  messageId: z.string(),
  kind: NotifyKindSchema,
  reason: NotifyReasonSchema,
  actorIds: z.array(z.string()),
  senderName: z.string().optional(),
  at: z.number().finite(),
  heldBy: HoldCauseSchema,
});
export const HeldQueueStateSchema = z.object({ version: z.literal(1), items: z.array(HeldItemSchema) });
export type HeldQueueState = z.infer<typeof HeldQueueStateSchema>;
export type HeldItem = NotifiableItem & { heldBy: HoldCause };

/**
 * What quiet hours or DND held back, in arrival order. Nothing leaves it except by `release()` (which
 * hands out a summary per chat) or `withdraw()` (the message was deleted). A message held twice is kept
 * once; every reaction counts.
 */
export class HeldQueue {
  readonly #items: HeldItem[] = [];

  /** Keeps a `hold` decision; returns false for any other decision or a message already held. */
  add(decided: DecidedEvent): boolean {
    if (decided.decision.action !== 'hold') return false;
    const item = toNotifiable(decided);
    if (!item) return false;
    const duplicate = this.#items.some(
      (held) => held.kind !== 'reaction' && item.kind !== 'reaction' && held.messageId === item.messageId,
    );
    if (duplicate) return false;
    this.#items.push({ ...item, heldBy: decided.decision.heldBy });
    return true;
  }

  /** Removes everything held for a deleted message; returns how many items went. */
  withdraw(messageId: string): number {
    let removed = 0;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      if (this.#items[i]?.messageId === messageId) {
        this.#items.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.#items.length;
  }

  /** One summary per chat, ordered by each chat's latest held item (most recent last). Keeps the items. */
  summarise(maxSenderNames?: number): ChatSummary[] {
    const byChat = new Map<string, HeldItem[]>();
    for (const item of this.#items) {
      const list = byChat.get(item.chatId) ?? [];
      list.push(item);
      byChat.delete(item.chatId); // re-insert: a chat's position follows its latest item
      byChat.set(item.chatId, list);
    }
    return [...byChat.values()].map((items) => summarise(items, maxSenderNames));
  }

  /** Quiet hours / DND ended: the summaries to show, and the queue is emptied. */
  release(maxSenderNames?: number): ChatSummary[] {
    const summaries = this.summarise(maxSenderNames);
    this.#items.length = 0;
    return summaries;
  }

  toJSON(): HeldQueueState {
    return { version: 1, items: this.#items.map((item) => ({ ...item, actorIds: [...item.actorIds] })) };
  }

  /** Reads back `toJSON()` output; invalid data gives an empty queue and an `issue`. */
  static fromJSON(data: unknown): { queue: HeldQueue; issue?: string } {
    const queue = new HeldQueue();
    const parsed = HeldQueueStateSchema.safeParse(data);
    if (!parsed.success) {
      return { queue, issue: `held queue is invalid, starting empty: ${z.prettifyError(parsed.error)}` };
    }
    queue.#items.push(...parsed.data.items);
    return { queue };
  }
}
