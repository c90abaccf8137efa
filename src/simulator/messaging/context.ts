// What the messaging routes and control share: the conversations, routing, scopes and settings.
import type { ClientScopes } from './access.ts';
import type { IntegrationRecord } from './model.ts';
import type { AgentUser, Routing } from './routing.ts';
import type { MessagingStore } from './store.ts';
import type { MessageDataOptions } from './wire-message.ts';

export interface MessagingSettings {
  /** Who is offered new conversations (a user id). */
  agentUserId: string;
  /** `MessageData.textBody` in answers (the pre-2026 behaviour); off by default. */
  textBody: boolean;
  /** Order of the bulk answer's entities (UNCONFIRMED; Genesys's blueprint reverses what it gets). */
  bulkOrder: 'newest-first' | 'oldest-first';
}

export interface MessagingContext {
  store: MessagingStore;
  routing: Routing;
  scopes: ClientScopes;
  settings: MessagingSettings;
  integration: IntegrationRecord;
  user: (id: string) => AgentUser | undefined;
}

export function messageDataOptions(ctx: MessagingContext): MessageDataOptions {
  return { textBody: ctx.settings.textBody, userName: (id) => ctx.user(id)?.name };
}
