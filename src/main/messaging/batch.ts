// Turns what the tracker saw change in one conversation, with the texts read for it, into one batch
// in the engine's vocabulary: `created` events for an offer and for customer messages (with the
// `customerKind` the rules decide on: whether the user was connected when each was written), a
// `deleted` event that withdraws an offer that ended. Pure.
import type { EventSource } from '../engine/model.ts';
import { judge, type Verdict } from './presence.ts';
import type { TrackerChange } from './tracker.ts';
import type {
  CustomerEventKind,
  CustomerMessage,
  MessageRef,
  MessagingBatch,
  MessagingEvent,
  TranscriptEntry,
} from './types.ts';

/**
 * The message ids whose text the batch needs: the new customer messages that may notify (written
 * while the user was connected), the offer's message, and undated ones (the text read dates them).
 * A message that cannot notify needs no text: reading it would cost a request per event of a
 * conversation the user no longer follows (a receipt after the end, a customer writing after a decline).
 */
export function idsToRead(change: TrackerChange): string[] {
  const ids = change.newCustomerMessages
    .filter((m) => m.at === 0 || judge(m.at, change.presence).kind === 'customer')
    .map((m) => m.id);
  const first = change.offerStarted?.firstMessage;
  if (first && !ids.includes(first.id)) ids.push(first.id);
  return ids;
}

/**
 * How each new customer message counts, by when it was written: its event's `messageTime`, else its
 * text read's timestamp (an undated one without either is judged by the current state).
 */
export function verdicts(
  change: TrackerChange,
  texts: ReadonlyMap<string, TranscriptEntry>,
): Map<string, Verdict> {
  return new Map(
    change.newCustomerMessages.map((m) => [m.id, judge(m.at || texts.get(m.id)?.at || 0, change.presence)]),
  );
}

/**
 * The batch for `change`, or undefined when nothing in it is for the engine. `texts` holds what
 * could be read; a message missing from it still makes its event, flagged `textMissing`. `seenAt`
 * (epoch ms) dates a message whose time neither the event (`messageTime` is optional in the model)
 * nor its text read gave: dated 0, the ledger would take it for history and never notify it.
 * `judged` is `verdicts(change, texts)`, when the caller already has it.
 */
export function buildBatch(
  change: TrackerChange,
  texts: ReadonlyMap<string, TranscriptEntry>,
  source: EventSource,
  customerId: string,
  seenAt: number,
  judged: ReadonlyMap<string, Verdict> = verdicts(change, texts),
): MessagingBatch | undefined {
  const { chat } = change;
  const events: MessagingEvent[] = [];
  const message = (ref: MessageRef, kind: CustomerEventKind): CustomerMessage => {
    const entry = texts.get(ref.id);
    const missing = !entry && ref.id !== change.offerStarted?.messageId;
    return {
      id: ref.id,
      chatId: chat.id,
      chatKind: 'customer',
      customerKind: kind,
      channel: chat.channel,
      senderId: customerId,
      senderName: chat.name,
      body: entry?.text ?? '',
      attachments: entry?.attachments ?? [],
      createdAt: ref.at || entry?.at || seenAt,
      mentions: [],
      notifyAll: false,
      reactions: {},
      ...(missing ? { textMissing: true } : {}),
    };
  };

  if (change.offerEnded)
    events.push({
      type: 'deleted',
      source,
      chatId: chat.id,
      messageId: change.offerEnded.messageId,
      reason: change.offerEnded.reason,
    });
  for (const ref of change.newCustomerMessages) {
    const entry = texts.get(ref.id);
    // A bot's message or an event without content (a presence join) is in the transcript, never notified.
    const silent =
      entry && (entry.author !== 'customer' || (entry.text === '' && entry.attachments.length === 0));
    // Found by a catch-up but already answered (an agent wrote after it): the user has seen it.
    const answered = source !== 'push' && ref.at > 0 && ref.at <= change.answeredAt;
    events.push({
      type: 'created',
      source,
      message: message(ref, silent || answered ? 'context' : (judged.get(ref.id)?.kind ?? 'context')),
    });
  }
  const offer = change.offerStarted;
  if (offer) {
    // The offer shows the customer's message (an offer without one has no text to miss).
    const shown = offer.firstMessage ? message(offer.firstMessage, 'offer') : undefined;
    events.push({
      type: 'created',
      source,
      message: {
        ...(shown ?? message({ id: offer.messageId, at: offer.createdAt }, 'offer')),
        id: offer.messageId,
        createdAt: offer.createdAt,
        customerKind: 'offer',
        offer: {
          participantId: offer.participantId,
          communicationId: offer.communicationId,
          ...(offer.alertingTimeoutMs !== undefined ? { alertingTimeoutMs: offer.alertingTimeoutMs } : {}),
          ...(offer.expiresAt !== undefined ? { expiresAt: offer.expiresAt } : {}),
        },
      },
    });
  }
  return events.length > 0 ? { source, chat, events } : undefined;
}
