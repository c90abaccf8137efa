// The user's writes on chat messages, each one REST call at the user's priority: send, edit,
// delete, set reactions, pin and unpin. ChatApi offers them; nothing else calls these directly.
import { z } from 'zod';
import type { ChatRef } from '../engine/model.ts';
import type { GenesysHttp } from './http.ts';
import { chatPath, enc } from './paths.ts';
import { SendResultWire } from './wire.ts';

export interface SendInput {
  text: string;
  mentions?: string[];
  threadId?: string;
}

/** Posts a message; returns its id. */
export async function sendMessage(http: GenesysHttp, chat: ChatRef, input: SendInput): Promise<string> {
  const res = await http.request({
    method: 'POST',
    path: `${chatPath(chat)}/messages`,
    body: {
      message: input.text,
      ...(input.mentions?.length ? { mentions: input.mentions } : {}),
      ...(input.threadId ? { threadId: input.threadId } : {}),
    },
    schema: SendResultWire,
    priority: 'user',
  });
  return res.id;
}

export async function editMessage(
  http: GenesysHttp,
  chat: ChatRef,
  messageId: string,
  input: SendInput,
): Promise<void> {
  await http.request({
    method: 'PATCH',
    path: `${chatPath(chat)}/messages/${enc(messageId)}`,
    body: { message: input.text, ...(input.mentions?.length ? { mentions: input.mentions } : {}) },
    schema: z.unknown(),
    priority: 'user',
    retryUnsafe: true, // an edit sets the same text again: safe to repeat
  });
}

export async function removeMessage(http: GenesysHttp, chat: ChatRef, messageId: string): Promise<void> {
  await http.request({
    method: 'DELETE',
    path: `${chatPath(chat)}/messages/${enc(messageId)}`,
    schema: undefined,
    priority: 'user',
  });
}

/** Sets the user's whole set of reactions on a message (the PUT replaces them). */
export async function setReactions(http: GenesysHttp, messageId: string, emojis: string[]): Promise<void> {
  await http.request({
    method: 'PUT',
    path: `/api/v2/chats/messages/${enc(messageId)}/reactions`,
    body: { reactions: emojis },
    schema: undefined,
    priority: 'user',
  });
}

export async function pinMessage(http: GenesysHttp, chat: ChatRef, messageId: string): Promise<void> {
  await http.request({
    method: 'POST',
    path: `${chatPath(chat)}/messages/pins`,
    body: { pinnedMessageIds: [messageId] },
    schema: undefined,
    priority: 'user',
    retryUnsafe: true, // pinning a pinned message changes nothing
  });
}

export async function unpinMessage(http: GenesysHttp, chat: ChatRef, messageId: string): Promise<void> {
  await http.request({
    method: 'DELETE',
    path: `${chatPath(chat)}/messages/pins/${enc(messageId)}`,
    schema: undefined,
    priority: 'user',
  });
}
