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

export const ChatRefSchema = z.discriminatedUnion('kind', [RoomRefSchema, OneOnOneRefSchema]);
export type ChatRef = z.infer<typeof ChatRefSchema>;

// Every kind has its reference: a kind added to ChatKindSchema without one fails to compile here.
const _everyKindHasARef: Record<ChatKind, ChatRef['kind']> = { room: 'room', oneOnOne: 'oneOnOne' };
void _everyKindHasARef;
