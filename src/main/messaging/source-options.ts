// What the messaging source (source.ts) is built with and what it tells its listeners.
import type { MessagingApi } from '../genesys/messaging/api.ts';
import type { MessagingAvailability, MessagingBatch } from './types.ts';

export interface MessagingSourceEvents {
  batch: (batch: MessagingBatch) => void;
  state: (state: MessagingAvailability) => void;
  /** Something of this conversation changed (a state, a message, a status): lists refresh. */
  changed: (conversationId: string) => void;
}

export interface MessagingSourceOptions {
  api: MessagingApi;
  /** The signed-in user's id. */
  me: string;
  now?: () => number;
  log?: (message: string) => void;
  /** Counts a value that did not have the expected shape (the engine's WireStats). */
  surprise?: (kind: string, value: unknown, detail?: string) => void;
  /**
   * Offer notifications still showing, perhaps from an earlier run (the ledger's pending ones): an
   * offer that ended while no engine ran is withdrawn once its conversation is read.
   */
  shownOffers?: () => { messageId: string; chatId: string }[];
  /**
   * Replies this app sent in any run (the outbox's sent items): like the replies this source sent, they
   * do not make earlier customer messages answered (one queued before a customer wrote may land after).
   */
  sentByApp?: () => Iterable<string>;
  /** How long an offer waits for its first message's text before it is shown without (default 1.5 s). */
  offerTextWaitMs?: number;
}
