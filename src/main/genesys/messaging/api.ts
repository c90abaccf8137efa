// The app's client for the agent side of the Messaging Conversations API (seed 004): the endpoints
// the tray calls (1, 12, 15, 17, 18, 19, 25, 27, 30–33) and the generic conversation, on the shared
// GenesysHttp (budget, priorities, retries, validation, counted surprises). Never the PATCH of a
// whole conversation (endpoint 13: it disconnects everyone), never a client-credentials endpoint.
import type { Priority } from '../budget.ts';
import type { GenesysHttp } from '../http.ts';
import { listingFingerprint } from './listing.ts';
import { enc } from '../paths.ts';
import type { Snapshot, TranscriptEntry, WrapupCode } from '../../messaging/types.ts';
import { readMessageData, toEntry } from './message-data.ts';
import { readSnapshot } from './snapshot.ts';
import {
  ActiveEntityWire,
  ActiveListingWire,
  AssignedWrapupWire,
  ConversationWire,
  MessageDataWire,
  MessageDetailsWire,
  MessageMediaParticipantWire,
  TextMessageListingWire,
  WrapupCodeWire,
  WrapupCodesWire,
} from './wire.ts';

export const MESSAGES = '/api/v2/conversations/messages';
/** At most this many ids per bulk read (the API's limit). */
export const BULK_MAX = 1_000;

export class MessagingApi {
  private readonly http: GenesysHttp;

  constructor(http: GenesysHttp) {
    this.http = http;
  }

  private surprise = (kind: string, value: unknown, detail?: string): void =>
    this.http.surprise(kind, value, detail);

  /** Endpoint 1: ids of the user's active message conversations (alerting, connected, owing a wrap-up). */
  async activeConversationIds(signal?: AbortSignal): Promise<string[]> {
    return (await this.activeConversations(signal)).map((c) => c.id);
  }

  /**
   * Endpoint 1 with, per conversation, a fingerprint of what its listing entry shows (each
   * participant's state and wrap-up, its message ids and statuses): the same fingerprint later
   * means nothing changed. Undefined when the entry shows no participants or an unreadable one.
   */
  async activeConversations(signal?: AbortSignal): Promise<{ id: string; fingerprint?: string }[]> {
    const res = await this.http.request({
      method: 'GET',
      path: MESSAGES,
      schema: ActiveListingWire,
      ...(signal ? { signal } : {}),
    });
    const out: { id: string; fingerprint?: string }[] = [];
    for (const raw of res.entities ?? []) {
      const e = ActiveEntityWire.safeParse(raw);
      if (!e.success) {
        this.surprise(`GET ${MESSAGES}: entity`, raw, e.error.issues[0]?.message);
        continue;
      }
      const fingerprint = listingFingerprint(e.data.participants);
      out.push({ id: e.data.id, ...(fingerprint !== undefined ? { fingerprint } : {}) });
    }
    return out;
  }

  /**
   * The generic `GET /api/v2/conversations/{id}`: its participants' `messages[]` are the
   * communications (with the ids a reply and a wrap-up need). Undefined when unreadable (counted).
   */
  async conversation(
    conversationId: string,
    priority: Priority = 'background',
    signal?: AbortSignal,
  ): Promise<Snapshot | undefined> {
    const body = await this.http.request({
      method: 'GET',
      path: `/api/v2/conversations/${enc(conversationId)}`,
      schema: ConversationWire,
      priority,
      ...(signal ? { signal } : {}),
    });
    return readSnapshot(body, 'GET /api/v2/conversations/{id}', this.surprise);
  }

  /**
   * Endpoint 12: the messaging conversation: who wrote which message ids (its participants list
   * messages, not communications). What a transcript needs; acting needs `conversation()`.
   */
  async messageConversation(
    conversationId: string,
    priority: Priority = 'user',
  ): Promise<{ purpose: string; userId?: string; messageIds: string[] }[]> {
    const route = `GET ${MESSAGES}/{id}`;
    const body = await this.http.request({
      method: 'GET',
      path: `${MESSAGES}/${enc(conversationId)}`,
      schema: ConversationWire,
      priority,
    });
    const out: { purpose: string; userId?: string; messageIds: string[] }[] = [];
    for (const raw of body.participants) {
      const p = MessageMediaParticipantWire.safeParse(raw);
      if (!p.success) {
        this.surprise(`${route}: participant`, raw, p.error.issues[0]?.message);
        continue;
      }
      const messageIds: string[] = [];
      for (const m of p.data.messages ?? []) {
        const d = MessageDetailsWire.safeParse(m);
        if (d.success) messageIds.push(d.data.messageId);
        else this.surprise(`${route}: message details`, m, d.error.issues[0]?.message);
      }
      out.push({
        purpose: p.data.purpose ?? '',
        ...(p.data.user?.id ? { userId: p.data.user.id } : {}),
        messageIds,
      });
    }
    return out;
  }

  /** Endpoint 19: one message with its text. */
  async message(
    conversationId: string,
    messageId: string,
    priority: Priority = 'background',
    signal?: AbortSignal,
  ): Promise<TranscriptEntry> {
    const m = await this.http.request({
      method: 'GET',
      path: `${MESSAGES}/${enc(conversationId)}/messages/${enc(messageId)}`,
      schema: MessageDataWire,
      priority,
      ...(signal ? { signal } : {}),
    });
    return toEntry(m);
  }

  /**
   * Endpoint 18: the messages of these ids, with their text, oldest first (the answer promises no
   * order and has no paging: at most 1,000 ids per request, so more ids take more requests).
   */
  async messages(
    conversationId: string,
    messageIds: readonly string[],
    priority: Priority = 'background',
    signal?: AbortSignal,
  ): Promise<TranscriptEntry[]> {
    const unique = [...new Set(messageIds)];
    const out: TranscriptEntry[] = [];
    const path = `${MESSAGES}/${enc(conversationId)}/messages/bulk`;
    for (let i = 0; i < unique.length; i += BULK_MAX) {
      const res = await this.http.request({
        method: 'POST',
        path,
        body: unique.slice(i, i + BULK_MAX),
        schema: TextMessageListingWire,
        priority,
        ...(signal ? { signal } : {}),
        // A read: sending it again is harmless.
        retryUnsafe: true,
      });
      for (const raw of res.entities ?? []) {
        const entry = readMessageData(
          raw,
          'POST /api/v2/conversations/messages/{id}/messages/bulk: entity',
          this.surprise,
        );
        if (entry) out.push(entry);
      }
    }
    return out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Endpoint 15: a text reply on a communication. Not retried on failure (it might have landed). */
  async send(conversationId: string, communicationId: string, text: string): Promise<TranscriptEntry> {
    const m = await this.http.request({
      method: 'POST',
      path: `${MESSAGES}/${enc(conversationId)}/communications/${enc(communicationId)}/messages`,
      body: { textBody: text },
      schema: MessageDataWire,
      priority: 'user',
    });
    return toEntry(m);
  }

  /** Endpoint 17: the agent is typing. */
  async typing(conversationId: string, communicationId: string): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `${MESSAGES}/${enc(conversationId)}/communications/${enc(communicationId)}/typing`,
      body: { typing: { type: 'On' } },
      schema: undefined,
      priority: 'user',
      retryUnsafe: true,
    });
  }

  /** Endpoint 25: accept (`connected`), decline or end (`disconnected`) the user's own participant. */
  async setParticipantState(
    conversationId: string,
    participantId: string,
    state: 'connected' | 'disconnected',
  ): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path: `${MESSAGES}/${enc(conversationId)}/participants/${enc(participantId)}`,
      body: { state },
      schema: undefined,
      priority: 'user',
      // Setting a state twice is the same state.
      retryUnsafe: true,
    });
  }

  /** Endpoint 27: disconnect one communication (does not ask for a wrap-up). */
  async disconnectCommunication(
    conversationId: string,
    participantId: string,
    communicationId: string,
  ): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path: `${MESSAGES}/${enc(conversationId)}/participants/${enc(participantId)}/communications/${enc(communicationId)}`,
      body: { state: 'disconnected' },
      schema: undefined,
      priority: 'user',
      retryUnsafe: true,
    });
  }

  /** Endpoint 33: the wrap-up codes the participant may use. */
  async wrapupCodes(conversationId: string, participantId: string): Promise<WrapupCode[]> {
    const path = `${MESSAGES}/${enc(conversationId)}/participants/${enc(participantId)}/wrapupcodes`;
    const res = await this.http.request({ method: 'GET', path, schema: WrapupCodesWire, priority: 'user' });
    const codes: WrapupCode[] = [];
    for (const raw of res) {
      const c = WrapupCodeWire.safeParse(raw);
      if (!c.success) {
        this.surprise(
          `GET ${MESSAGES}/{id}/participants/{id}/wrapupcodes: code`,
          raw,
          c.error.issues[0]?.message,
        );
        continue;
      }
      codes.push({
        id: c.data.id,
        name: c.data.name || c.data.id,
        ...(c.data.description ? { description: c.data.description } : {}),
      });
    }
    return codes;
  }

  /** Endpoint 31: apply a wrap-up (a code id from `wrapupCodes`, optional notes). */
  async wrapup(
    conversationId: string,
    participantId: string,
    communicationId: string,
    input: { code: string; notes?: string },
  ): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `${this.wrapupBase(conversationId, participantId)}/communications/${enc(communicationId)}/wrapup`,
      body: input.notes ? { code: input.code, notes: input.notes } : { code: input.code },
      schema: undefined,
      priority: 'user',
    });
  }

  /** Endpoints 30 (with a communication) and 32: the wrap-up given, undefined when none yet (204). */
  async assignedWrapup(
    conversationId: string,
    participantId: string,
    communicationId?: string,
  ): Promise<{ code: string; notes?: string } | undefined> {
    const base = this.wrapupBase(conversationId, participantId);
    const res = await this.http.request({
      method: 'GET',
      path: communicationId ? `${base}/communications/${enc(communicationId)}/wrapup` : `${base}/wrapup`,
      schema: AssignedWrapupWire.optional(),
      priority: 'user',
    });
    if (!res?.code) return undefined;
    return { code: res.code, ...(res.notes ? { notes: res.notes } : {}) };
  }

  private wrapupBase(conversationId: string, participantId: string): string {
    return `${MESSAGES}/${enc(conversationId)}/participants/${enc(participantId)}`;
  }
}
