// A reference to one conversation, as a discriminated union on its kind: each kind says what
// addresses it. Rooms and 1on1s are addressed alike today (an id and a jid); a kind that is not
// (a customer conversation has no jid) gets its own member here, and every `switch (chat.kind)`
// is then made to handle it.
import { z } from 'zod';
import type { ChatKind } from './kinds.ts';

/** The longest chat id the app accepts anywhere (IPC, headless lines, inbox): a jid, as the wire allows. */
export const CHAT_ID_MAX = 512;

export const RoomRefSchema = z.object({
  kind: z.literal('room'),
  /** The room's jid (the id the API and the push topics use). */
  id: z.string(),
  jid: z.string(),
  name: z.string(),
});

export const OneOnOneRefSchema = z.object({
  kind: z.literal('oneOnOne'),
  /** The OTHER user's id (the one the history path uses). */
  id: z.string(),
  /** The other user's jid; '' when the roster did not say. */
  jid: z.string(),
  name: z.string(),
});

export const CustomerRefSchema = z.object({
  kind: z.literal('customer'),
  /** The conversationId (Messaging Conversations API). Not a Collaborate chat: no chat path. */
  id: z.string(),
  /** Always '': a customer conversation has no jid. */
  jid: z.literal(''),
  /** The customer's name, as the conversation shows it. */
  name: z.string(),
  /** sms, whatsapp, webmessaging, open, ... when known. */
  channel: z.string().optional(),
});

export const ChatRefSchema = z.discriminatedUnion('kind', [
  RoomRefSchema,
  OneOnOneRefSchema,
  CustomerRefSchema,
]);
export type ChatRef = z.infer<typeof ChatRefSchema>;

/** A Genesys Collaborate chat (a room or a 1on1): what has chat paths, the outbox and the chat actions. */
export type CollaborateChatRef = Exclude<ChatRef, { kind: 'customer' }>;

export function isCollaborateChat(chat: ChatRef): chat is CollaborateChatRef {
  return chat.kind !== 'customer';
}

// Every kind has its reference: a kind added to ChatKindSchema without one fails to compile here.
const _everyKindHasARef: Record<ChatKind, ChatRef['kind']> = {
  room: 'room',
  oneOnOne: 'oneOnOne',
  customer: 'customer',
};
void _everyKindHasARef;
