// The watching engine's own domain types: what the Genesys client maps validated network data into,
// and the rules the user set. Nothing here knows about HTTP, WebSockets or Electron.

import type { ChatKind } from '../../shared/domain/kinds.ts';
import type { Reactions } from '../../shared/domain/reactions.ts';
import type { ChatMute } from '../../shared/domain/mute.ts';
import type { CustomerEventKind, OfferInfo } from '../messaging/types.ts';

// The vocabulary is declared once in src/shared/domain; the engine speaks it under these names.
export type { ChatKind, ChatMute, Reactions };
/** A room or a 1on1: for a room, the room id; for a 1on1, the OTHER user's id (the history path's). */
export type { ChatRef } from '../../shared/domain/chat-ref.ts';

export interface ChatMessage {
  id: string;
  /** `ChatRef.id` of the chat the message is in. */
  chatId: string;
  /** Whether the chat is a room or a 1on1; the client knows it from the topic or path it read. */
  chatKind: ChatKind;
  senderId: string;
  senderName?: string;
  body: string;
  /** Server `dateCreated`, epoch ms. */
  createdAt: number;
  editedAt?: number;
  threadId?: string;
  /** User ids mentioned in the message. */
  mentions: string[];
  /** The message mentions everyone in the room (@all / @here). */
  notifyAll: boolean;
  reactions: Reactions;
  /** A customer conversation's message only (the messaging source sets it): what it is for the rules. */
  customerKind?: CustomerEventKind;
  /** An offer's message only: the offer it stands for. */
  offer?: OfferInfo;
}

/** How the engine learnt of an event: the notification socket, a REST catch-up after a gap, or polling. */
export type EventSource = 'push' | 'backfill' | 'poll';

export type ChatEvent =
  | { type: 'created'; source: EventSource; message: ChatMessage }
  | { type: 'edited'; source: EventSource; message: ChatMessage }
  | { type: 'deleted'; source: EventSource; chatId: string; messageId: string }
  | {
      type: 'reactions';
      source: EventSource;
      /** The message as it is now, reactions included. */
      message: ChatMessage;
      /** The reactions before this change, when known; absent means "none known" (everything is new). */
      previous?: Reactions;
    };

/**
 * The user's personal Genesys chat settings (`/api/v2/chats/users/me/settings`). Every field is optional
 * on the server; absent fields take `defaultServerSettings`.
 */
export interface ServerSettings {
  /** Nothing notifies. */
  muted: boolean;
  /** Room messages notify only when they mention the user (1on1 messages still notify). */
  mentionsOnly: boolean;
  /** Reactions to the user's own messages notify. */
  notifyOnReactions: boolean;
}

/** What a user who never touched the Genesys settings has: everything notifies, reactions included. */
export const defaultServerSettings: ServerSettings = Object.freeze({
  muted: false,
  mentionsOnly: false,
  notifyOnReactions: true,
});

export interface QuietHours {
  /** Local wall-clock 'HH:MM' (24 h). A window whose end is before its start crosses midnight. */
  start: string;
  end: string;
  /** Weekdays the window STARTS on, 0 = Sunday … 6 = Saturday; absent means every day. */
  days?: number[];
}

/** The app's own rules, on top of the server settings (Genesys has no per-chat mute). */
export interface AppRules {
  chatMutes: Record<string, ChatMute>;
  quietHours?: QuietHours;
  /** Words that make a room message notify even when mentionsOnly is on (whole word, any case). */
  keywords: string[];
  /** Do not disturb: everything that would notify is held until it is switched off. */
  dnd?: boolean;
}
