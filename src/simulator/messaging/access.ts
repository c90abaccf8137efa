// Who may call what: OAuth scopes (configured per OAuth client, as in Genesys Admin), the messaging
// permissions of a user, and the caller's own conversation, participant and communication. Every
// refusal is a Genesys-style error (see the README for the codes and which are unconfirmed).
import type { ApiRequest, Caller } from '../context.ts';
import { requireUserId } from '../context.ts';
import { ApiError, forbidden, notFound } from '../http/errors.ts';
import type { ConversationRecord, ParticipantRecord } from './model.ts';
import type { MessagingStore } from './store.ts';
import { PERMISSIONS, SCOPES } from './vocabulary.ts';

/** The scopes an OAuth client was granted; clients not configured have every scope. */
export class ClientScopes {
  readonly #byClient = new Map<string, readonly string[]>();

  constructor(initial: Record<string, readonly string[]> = {}) {
    for (const [clientId, scopes] of Object.entries(initial)) this.set(clientId, scopes);
  }

  set(clientId: string, scopes: readonly string[] | null): void {
    if (scopes === null) this.#byClient.delete(clientId);
    else this.#byClient.set(clientId, [...scopes]);
  }

  has(clientId: string, scope: string): boolean {
    const granted = this.#byClient.get(clientId);
    return granted === undefined || granted.includes(scope);
  }

  hasAny(clientId: string, scopes: readonly string[]): boolean {
    return scopes.some((s) => this.has(clientId, s));
  }

  entries(): Record<string, string[]> {
    return Object.fromEntries([...this.#byClient].map(([k, v]) => [k, [...v]]));
  }
}

export function requireScopes(scopes: ClientScopes, caller: Caller, anyOf: readonly string[]): void {
  if (scopes.hasAny(caller.clientId, anyOf)) return;
  const list = `[${anyOf.join(', ')}]`;
  throw anyOf.length > 1
    ? new ApiError(
        403,
        `Unable to perform the requested action. You must have at least one of the following scopes: ${list}`,
        'missing.any.scopes',
      )
    : new ApiError(
        403,
        `Unable to perform the requested action. You are missing the following scope(s): ${list}`,
        'missing.scopes',
      );
}

const READ_SCOPES = [SCOPES.conversations, SCOPES.conversationsReadonly];
const WRITE_SCOPES = [SCOPES.conversations];

/**
 * The calling agent: a user token (client credentials get `requires.user.context`), with the
 * `conversations` scope (`conversations:readonly` is enough to read) and the messaging permission.
 */
export function requireAgent(
  store: MessagingStore,
  scopes: ClientScopes,
  r: ApiRequest,
  mode: 'read' | 'write',
): string {
  const userId = requireUserId(r.caller);
  requireScopes(scopes, r.caller, mode === 'read' ? READ_SCOPES : WRITE_SCOPES);
  if (!store.permitted.has(userId)) {
    const permission = mode === 'read' ? PERMISSIONS.view : PERMISSIONS.create;
    throw new ApiError(
      403,
      `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`,
      'missing.permissions',
    );
  }
  return userId;
}

/** The integration-side caller: a client-credentials token with the `messaging` scope. */
export function requireIntegrationClient(scopes: ClientScopes, caller: Caller): void {
  if (caller.userId !== null) {
    throw forbidden(
      'This resource is for an Open Messaging integration and requires an OAuth client credentials token.',
      'not.authorized',
    );
  }
  requireScopes(scopes, caller, [SCOPES.messaging]);
}

/** A conversation the user takes (or took) part in: 404 when unknown, 403 when someone else's. */
export function conversationOf(store: MessagingStore, id: string, userId: string): ConversationRecord {
  const conversation = store.conversations.get(id);
  if (!conversation) throw notFound(`Conversation '${id.slice(0, 80)}' was not found.`);
  if (!store.involves(conversation, userId)) {
    throw forbidden('You are not authorized to perform the requested action.', 'not.authorized');
  }
  return conversation;
}

/** One of the caller's own participants: 404 when unknown, 403 when it is someone else's. */
export function ownParticipant(
  store: MessagingStore,
  conversation: ConversationRecord,
  participantId: string,
  userId: string,
): ParticipantRecord {
  const participant = store.participant(conversation, participantId);
  if (!participant)
    throw notFound(`Participant '${participantId.slice(0, 80)}' was not found in this conversation.`);
  if (participant.userId !== userId) {
    throw forbidden(
      `Participant '${participant.id}' is not yours: a user may only change their own participant.`,
      'not.authorized',
    );
  }
  return participant;
}

/** The caller's own communication: 404 when unknown, 403 when it belongs to another participant. */
export function ownCommunication(
  store: MessagingStore,
  conversation: ConversationRecord,
  communicationId: string,
  userId: string,
): ParticipantRecord {
  const owner = store.communicationOwner(conversation, communicationId);
  if (!owner)
    throw notFound(`Communication '${communicationId.slice(0, 80)}' was not found in this conversation.`);
  if (owner.userId !== userId) {
    throw forbidden(
      `Communication '${communicationId}' is not yours: use the communication of your own agent participant.`,
      'not.authorized',
    );
  }
  return owner;
}
