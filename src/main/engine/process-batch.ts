// Turns one batch of chat events (one push event, or a chat's whole backlog from a catch-up) into
// notifications, exactly once: the ledger gates created messages, the rules decide, a backlog becomes
// one digest per chat, quiet hours and do-not-disturb hold instead of dropping, and deletes withdraw.
import type { NotifyKind } from '../../shared/domain/kinds.ts';
import type { AddedReaction } from '../../shared/domain/reactions.ts';
import { planDeliveries, type DecidedEvent, type HeldQueue } from './digest.ts';
import type { Inbox } from './inbox.ts';
import type { Ledger } from './ledger.ts';
import type { ChatEvent, ChatMessage, ChatRef } from './model.ts';
import { digestNotification, singleNotification, type NotificationOut } from './notification.ts';
import { decide, reactionsAdded, type Decision, type DecisionContext } from './rules.ts';
import { decideCustomerChatEvent, offerExpiry } from '../messaging/rules.ts';

export interface BatchDeps {
  ledger: Ledger;
  held: HeldQueue;
  inbox: Inbox;
  /** Reaction notifications already given, keyed `<messageId>:<emoji>:<userId>` (bounded by the caller). */
  reactionsSeen: Set<string>;
  /** The rules' inputs, the injected clock (`now`) included: the batch reads the time only there. */
  context(): DecisionContext;
  senderName(userId: string): Promise<string>;
  show(n: NotificationOut): void;
  withdraw(messageIds: string[]): void;
  /** Digest threshold: more notifiable items than this for one chat in one batch become a digest. */
  digestThreshold?: number;
}

export interface BatchResult {
  /** How many events went to the held queue (quiet hours or do-not-disturb). */
  held: number;
}

export async function processBatch(
  chat: ChatRef,
  events: readonly ChatEvent[],
  deps: BatchDeps,
): Promise<BatchResult> {
  const result: BatchResult = { held: 0 };
  const decided: DecidedEvent[] = [];
  const ordered = [...events].sort((a, b) => timeOf(a) - timeOf(b));
  // One context for the whole batch: the loop below is synchronous, so nothing it reads (settings,
  // preferences, the clock) can change between two of its events; asking per event cost a copy of
  // the preferences per message (a catch-up decides thousands).
  const context = deps.context();
  // A customer conversation has its own rules (offers are never held; see messaging/rules.ts).
  const decideOne = (event: ChatEvent): Decision =>
    chat.kind === 'customer' ? decideCustomerChatEvent(event, context) : decide(event, context);
  for (const event of ordered) {
    if (event.type === 'deleted') {
      const gone = [event.messageId];
      deps.ledger.withdraw(event.messageId);
      deps.held.withdraw(event.messageId);
      deps.inbox.removeMessage(event.messageId);
      deps.withdraw(gone);
      continue;
    }
    if (event.type === 'created') {
      if (!deps.ledger.shouldProcess(event.message)) continue;
      const decision = decideOne(event);
      deps.ledger.markProcessed(event.message);
      decided.push({ event, decision });
      continue;
    }
    if (event.type === 'reactions') {
      const decision = decideOne(event);
      if (decision.action !== 'notify' && decision.action !== 'hold') continue;
      const added = reactionsAdded(event, context);
      const fresh = added.filter((r) => !deps.reactionsSeen.has(reactionKey(event.message.id, r)));
      if (fresh.length === 0) continue;
      for (const r of fresh) deps.reactionsSeen.add(reactionKey(event.message.id, r));
      decided.push({ event, decision, added: fresh });
    }
    // 'edited' never notifies again.
  }

  // Names first, so notifications, digests and the held queue can say who: asked once per sender
  // of the batch (a catch-up's batch is up to 2,000 messages by a few people).
  const names = new Map<string, string>();
  for (const d of decided) {
    if ((d.decision.action === 'notify' || d.decision.action === 'hold') && d.event.type === 'created') {
      const message = d.event.message;
      if (message.senderName !== undefined) continue;
      let name = names.get(message.senderId);
      if (name === undefined) {
        name = await deps.senderName(message.senderId).catch(() => '');
        names.set(message.senderId, name);
      }
      message.senderName = name;
    }
  }
  for (const d of decided) {
    if (d.decision.action === 'hold') {
      if (deps.held.add(d)) result.held++;
    }
  }

  const deliveries = planDeliveries(
    decided,
    deps.digestThreshold !== undefined ? { threshold: deps.digestThreshold } : {},
  );
  // A digest lists message ids; their decided events by id (the first of each, as a search would find).
  const byId = new Map<string, DecidedEvent>();
  for (const d of decided)
    if (d.event.type !== 'deleted' && !byId.has(d.event.message.id)) byId.set(d.event.message.id, d);
  for (const delivery of deliveries) {
    if (delivery.type === 'digest') {
      const n = digestNotification(delivery, chat, 'backlog');
      for (const id of delivery.messageIds) {
        const d = byId.get(id);
        const kind = kindOf(d);
        if (d && d.event.type !== 'deleted') addToInbox(deps, chat, d.event.message, kind, context.now);
        deps.ledger.recordNotified({
          messageId: id,
          chatId: chat.id,
          kind,
          notifiedAt: context.now,
        });
      }
      deps.show(n);
      continue;
    }
    const { item, event } = delivery;
    const now = context.now;
    if (event.type === 'deleted') continue;
    const message = event.message;
    let n: NotificationOut;
    if (event.type === 'reactions') {
      const first = decided.find((d) => d.event === event)?.added?.[0];
      const reactor = first ? await deps.senderName(first.userId).catch(() => '') : '';
      n = singleNotification({
        kind: 'reaction',
        chat,
        messageId: message.id,
        senderName: reactor,
        text: message.body,
        at: now,
        ...(first ? { emoji: first.emoji } : {}),
      });
      addToInbox(
        deps,
        chat,
        message,
        'reaction',
        now,
        reactor,
        first ? reactionKey(message.id, first) : undefined,
      );
    } else {
      n = singleNotification({
        kind: item.kind,
        chat,
        messageId: message.id,
        senderName: message.senderName ?? '',
        text: message.body,
        at: message.createdAt,
        ...(message.threadId ? { threadId: message.threadId } : {}),
        ...(chat.kind === 'customer' ? { ...customerDetails(chat, message), now } : {}),
      });
      addToInbox(deps, chat, message, item.kind, now);
    }
    deps.ledger.recordNotified({
      messageId: message.id,
      chatId: chat.id,
      kind: item.kind,
      notifiedAt: now,
    });
    deps.show(n);
  }
  return result;
}

function kindOf(d: DecidedEvent | undefined): NotifyKind {
  return d && (d.decision.action === 'notify' || d.decision.action === 'hold') ? d.decision.kind : 'message';
}

/** What an offer's or a customer message's notification shows beside the text. */
function customerDetails(
  chat: Extract<ChatRef, { kind: 'customer' }>,
  message: ChatMessage,
): { channel?: string; expiresAt?: number } {
  const expiresAt = offerExpiry(message);
  return {
    ...(chat.channel !== undefined ? { channel: chat.channel } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

function addToInbox(
  deps: BatchDeps,
  chat: ChatRef,
  message: ChatMessage,
  kind: NotifyKind,
  now: number,
  actorName?: string,
  id?: string,
): void {
  // Customer conversations live in the Interactions list (with its own unread), not in the inbox.
  if (chat.kind === 'customer') return;
  const at = kind === 'reaction' ? now : message.createdAt;
  if (!deps.inbox.accepts(id ?? message.id, at)) return;
  deps.inbox.add({
    id: id ?? message.id,
    messageId: message.id,
    chatId: chat.id,
    chatName: chat.name,
    chatKind: chat.kind,
    kind,
    senderId: message.senderId,
    senderName: actorName ?? message.senderName ?? '',
    text: message.body.slice(0, 4000),
    at,
    read: false,
    ...(message.threadId ? { threadId: message.threadId } : {}),
  });
}

/** A reaction told once: `<messageId>:<emoji>:<userId>` (also the inbox item's id). */
function reactionKey(messageId: string, r: AddedReaction): string {
  return `${messageId}:${r.emoji}:${r.userId}`;
}

function timeOf(event: ChatEvent): number {
  return event.type === 'deleted' ? Number.MAX_SAFE_INTEGER : event.message.createdAt;
}
