// The main process's side of the customer-conversation channels (issue 13): thin handlers over an
// `InteractionsPort`, which the engine's messaging source provides. Until it does (or for a user
// without messaging) the port is null and every channel answers a clear error. Requests were
// validated by the dispatcher (sender and schema); what the port returns is fitted to the
// contract's caps here, so one oversized message or an unexpected channel type shows shortened
// instead of failing the whole list.
import {
  INTERACTION_LIMITS,
  type AttachmentView,
  type InteractionView,
  type TranscriptMessageView,
  type TranscriptView,
  type WrapupCodeView,
} from '../../shared/ipc/interactions.ts';
import { VIEW_LIMITS } from '../../shared/ipc/limits.ts';
import type { OutboxItemView } from '../../shared/ipc/views.ts';
import type { InvokeHandlers } from '../../shared/ipc/dispatcher.ts';
import { isChannelType } from '../../shared/interactions/channels.ts';
import { checkExternalUrl } from './links.ts';
import { fit, shownName } from './views.ts';

/** What the popup can ask of customer conversations; the engine's messaging source implements it. */
export interface InteractionsPort {
  /** The user's interactions: offers, connected ones, those in wrap-up (newest activity first). */
  list(): Promise<InteractionView[]>;
  /** One interaction and its messages, oldest first; marks its customer messages read. */
  transcript(conversationId: string): Promise<TranscriptView>;
  /** Accepts the offer (the user's alerting agent participant → connected). */
  accept(conversationId: string): Promise<void>;
  /** Declines the offer (→ disconnected): the agent goes Not Responding. */
  decline(conversationId: string): Promise<void>;
  /**
   * Queues a reply in the outbox; it is sent on the communication of the user's last agent
   * participant at the time of sending. Returns the queued item (its later states are the outbox's).
   */
  reply(conversationId: string, text: string): Promise<OutboxItemView>;
  /** Tells the customer the agent is typing. */
  typing(conversationId: string): Promise<void>;
  /** Queues ending the user's part (→ disconnected; wrap-up follows when required). */
  end(conversationId: string): Promise<void>;
  /** The wrap-up codes the user's agent participant may use. */
  wrapupCodes(conversationId: string): Promise<WrapupCodeView[]>;
  /** Queues a wrap-up code (an id from `wrapupCodes`) with optional notes. */
  wrapup(conversationId: string, wrapup: { code: string; notes?: string }): Promise<void>;
}

export interface InteractionHandlerDeps {
  /** The messaging source's port, or null when there is none (no engine yet, no messaging). */
  interactions?: () => InteractionsPort | null;
  log?: (msg: string) => void;
}

export const NOT_AVAILABLE = 'Customer conversations are not available.';

type InteractionChannel =
  | 'interactions:list'
  | 'interaction:transcript'
  | 'interaction:accept'
  | 'interaction:decline'
  | 'interaction:reply'
  | 'interaction:typing'
  | 'interaction:end'
  | 'interaction:wrapup-codes'
  | 'interaction:wrapup';

export function createInteractionHandlers(
  deps: InteractionHandlerDeps,
): Pick<InvokeHandlers, InteractionChannel> {
  const log = deps.log ?? (() => {});
  const port = (): InteractionsPort => {
    const p = deps.interactions?.() ?? null;
    if (!p) throw new Error(NOT_AVAILABLE);
    return p;
  };
  const fitInteraction = (i: InteractionView): InteractionView => toInteractionView(i, log);
  return {
    'interactions:list': async () =>
      (await port().list()).slice(0, INTERACTION_LIMITS.list).map(fitInteraction),
    'interaction:transcript': async (req) => {
      const t = await port().transcript(req.conversationId);
      const messages =
        t.messages.length > INTERACTION_LIMITS.transcript
          ? t.messages.slice(-INTERACTION_LIMITS.transcript) // the newest ones matter
          : t.messages;
      return {
        interaction: fitInteraction(t.interaction),
        messages: messages.map((m) => toMessageView(m, log)),
      };
    },
    'interaction:accept': async (req) => {
      await port().accept(req.conversationId);
      return null;
    },
    'interaction:decline': async (req) => {
      await port().decline(req.conversationId);
      return null;
    },
    'interaction:reply': (req) => port().reply(req.conversationId, req.text),
    'interaction:typing': async (req) => {
      await port().typing(req.conversationId);
      return null;
    },
    'interaction:end': async (req) => {
      await port().end(req.conversationId);
      return null;
    },
    'interaction:wrapup-codes': async (req) =>
      (await port().wrapupCodes(req.conversationId))
        .slice(0, INTERACTION_LIMITS.wrapupCodes)
        .map((c) => ({ id: c.id, name: fit(shownName(c.name), VIEW_LIMITS.name) })),
    'interaction:wrapup': async (req) => {
      await port().wrapup(req.conversationId, {
        code: req.code,
        ...(req.notes?.trim() ? { notes: req.notes.trim() } : {}),
      });
      return null;
    },
  };
}

/** An interaction fitted to the contract: names without bidi controls, texts cut, a known channel. */
export function toInteractionView(
  i: InteractionView,
  log: (msg: string) => void = () => {},
): InteractionView {
  let channel = i.channel;
  if (!isChannelType(channel)) {
    log(
      `interactions: unexpected channel type ${JSON.stringify(String(channel)).slice(0, 40)}, shown as Messaging`,
    );
    channel = 'unknown';
  }
  return {
    ...i,
    channel,
    customerName: fit(shownName(i.customerName), VIEW_LIMITS.name),
    unread: Math.min(Math.max(0, Math.floor(i.unread)), 100_000),
    ...(i.lastMessage
      ? { lastMessage: { ...i.lastMessage, text: fit(i.lastMessage.text, INTERACTION_LIMITS.preview) } }
      : {}),
  };
}

/** A transcript message fitted to the contract; attachments only with a plain web link. */
export function toMessageView(
  m: TranscriptMessageView,
  log: (msg: string) => void = () => {},
): TranscriptMessageView {
  const attachments: AttachmentView[] = [];
  for (const a of m.attachments.slice(0, INTERACTION_LIMITS.attachments)) {
    let url: string;
    try {
      url = checkExternalUrl(a.url);
    } catch (err) {
      log(
        `interactions: attachment without a web link left out (${err instanceof Error ? err.message : 'bad url'})`,
      );
      continue;
    }
    if (url.length > INTERACTION_LIMITS.url) {
      log('interactions: attachment link too long, left out');
      continue;
    }
    attachments.push({
      name: fit(shownName(a.name), INTERACTION_LIMITS.fileName) || 'Attachment',
      url,
      type: a.type.slice(0, INTERACTION_LIMITS.mediaType),
    });
  }
  if (m.attachments.length > INTERACTION_LIMITS.attachments) {
    log(
      `interactions: a message had ${m.attachments.length} attachments; the first ${INTERACTION_LIMITS.attachments} shown`,
    );
  }
  return {
    ...m,
    ...(m.senderName !== undefined ? { senderName: fit(shownName(m.senderName), VIEW_LIMITS.name) } : {}),
    text: fit(m.text, VIEW_LIMITS.text),
    attachments,
  };
}
