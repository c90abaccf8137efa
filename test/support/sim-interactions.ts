// TEST-ONLY: an InteractionsPort over the REAL simulator's agent-side Messaging Conversations API,
// for the popup's E2E tests until the engine's messaging source provides the real one. It reads
// and acts as the demo user over HTTP with a user token (the same endpoints the app uses: the
// active listing, the generic conversation for communication ids, the bulk text read, PATCH on
// the user's agent participant, send, typing, wrap-up codes and wrap-up), so the popup shows what
// the simulator really holds. Deliberately small: no push, no store, no retries.
import type { InteractionsPort } from '../../src/main/ipc/interaction-handlers.ts';
import type {
  DeliveryStatus,
  InteractionsSummary,
  InteractionView,
  TranscriptMessageView,
  TranscriptView,
} from '../../src/shared/ipc/contract.ts';
import { isChannelType } from '../../src/shared/interactions/channels.ts';
import type { Simulator } from '../../src/simulator/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON, read field by field */
type Json = any;

const BASE = '/api/v2/conversations/messages';

export interface SimInteractions extends InteractionsPort {
  /** What the state view says: the Interactions tab and the tray's count of customers waiting. */
  summary(): Promise<InteractionsSummary>;
}

export function simInteractionsPort(sim: Simulator, userId: string): SimInteractions {
  const token = (): string => sim.control.actAs(userId).accessToken;
  /** Conversations seen in the listing: an ended one stays listed until wrapped up. */
  const known = new Set<string>();
  /** Customer messages the user has seen in the transcript, per conversation. */
  const seen = new Map<string, number>();

  async function call(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(sim.url + path, {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(json?.message ?? `HTTP ${res.status}`);
    return json;
  }

  /** The generic conversation (communication ids) and every message's text, oldest first. */
  async function read(conversationId: string) {
    const conversation = await call('GET', `/api/v2/conversations/${encodeURIComponent(conversationId)}`);
    const participants: Json[] = conversation.participants ?? [];
    const mine = participants.filter((p) => p.purpose === 'agent' && p.userId === userId);
    const me = mine.at(-1);
    if (!me) throw new Error('That conversation is not one of yours.');
    const comm = (me.messages ?? []).at(-1);
    const customer = participants.find((p) => p.purpose === 'customer');
    const roleOf = new Map<string, { from: 'customer' | 'agent' | 'bot'; status?: string }>();
    for (const p of participants) {
      const from = p.purpose === 'customer' ? 'customer' : p.purpose === 'agent' ? 'agent' : 'bot';
      for (const c of p.messages ?? []) {
        for (const m of c.messages ?? []) roleOf.set(m.messageId, { from, status: m.messageStatus });
      }
    }
    const ids = [...roleOf.keys()];
    const bulk = ids.length
      ? await call('POST', `${BASE}/${conversationId}/messages/bulk`, ids)
      : { entities: [] };
    const messages: TranscriptMessageView[] = (bulk.entities as Json[])
      .map((d) => toMessage(d, roleOf.get(d.id)))
      .sort((a, b) => a.at - b.at);
    return { conversation, me, comm, customer, messages };
  }

  function stateOf(me: Json, comm: Json): InteractionView['state'] {
    if (comm?.state === 'alerting') return 'offered';
    if (comm?.state === 'connected') return 'connected';
    if (me.wrapupRequired && !me.wrapup) return 'wrapup';
    return 'ended';
  }

  async function view(
    conversationId: string,
  ): Promise<{ interaction: InteractionView; messages: TranscriptMessageView[] }> {
    const { me, comm, customer, messages } = await read(conversationId);
    const state = stateOf(me, comm);
    const fromCustomer = messages.filter((m) => m.from === 'customer');
    const lastAgent = messages.findLast((m) => m.from === 'agent');
    const firstUnanswered = fromCustomer.find((m) => !lastAgent || m.at > lastAgent.at);
    const last = messages.at(-1);
    const type = (customer?.messages ?? []).at(-1)?.type;
    const interaction: InteractionView = {
      conversationId,
      channel: isChannelType(type) ? type : 'unknown',
      customerName: customer?.name ?? '',
      state,
      unread: Math.max(0, fromCustomer.length - (seen.get(conversationId) ?? 0)),
      ...(state === 'offered' && me.alertingTimeoutMs
        ? { offerDeadline: Date.parse(me.startTime) + me.alertingTimeoutMs }
        : {}),
      ...(firstUnanswered && (state === 'offered' || state === 'connected')
        ? { waitingSince: firstUnanswered.at }
        : {}),
      ...(last
        ? {
            lastMessage: {
              from: last.from,
              text: last.text || (last.attachments[0]?.name ?? ''),
              at: last.at,
            },
          }
        : {}),
    };
    return { interaction, messages };
  }

  async function ids(conversationId: string): Promise<{ participantId: string; communicationId: string }> {
    const { me, comm } = await read(conversationId);
    return { participantId: me.id, communicationId: comm.id };
  }

  const port: SimInteractions = {
    async list() {
      const active = await call('GET', BASE);
      for (const c of active.entities ?? []) known.add(c.id);
      const out: InteractionView[] = [];
      for (const id of known) {
        const v = await view(id).catch(() => null);
        if (!v || v.interaction.state === 'ended') known.delete(id);
        else out.push(v.interaction);
      }
      return out;
    },
    async transcript(conversationId) {
      const v = await view(conversationId);
      seen.set(conversationId, v.messages.filter((m) => m.from === 'customer').length);
      return { interaction: { ...v.interaction, unread: 0 }, messages: v.messages } satisfies TranscriptView;
    },
    async accept(conversationId) {
      const { participantId } = await ids(conversationId);
      await call('PATCH', `${BASE}/${conversationId}/participants/${participantId}`, { state: 'connected' });
    },
    async decline(conversationId) {
      const { participantId } = await ids(conversationId);
      await call('PATCH', `${BASE}/${conversationId}/participants/${participantId}`, {
        state: 'disconnected',
      });
    },
    async end(conversationId) {
      const { participantId } = await ids(conversationId);
      await call('PATCH', `${BASE}/${conversationId}/participants/${participantId}`, {
        state: 'disconnected',
      });
    },
    async reply(conversationId, text) {
      const { communicationId } = await ids(conversationId);
      const sent = await call(
        'POST',
        `${BASE}/${conversationId}/communications/${communicationId}/messages`,
        {
          textBody: text,
        },
      );
      // Sent at once (this port has no outbox): the item as the outbox shows one sent.
      return {
        id: `sim-${sent.id}`,
        kind: 'reply',
        chatId: conversationId,
        state: 'sent' as const,
        text,
        messageId: sent.id,
        createdAt: Date.now(),
      };
    },
    async typing(conversationId) {
      const { communicationId } = await ids(conversationId);
      await call('POST', `${BASE}/${conversationId}/communications/${communicationId}/typing`, {
        typing: { type: 'On' },
      });
    },
    async wrapupCodes(conversationId) {
      const { participantId } = await ids(conversationId);
      const codes: Json[] = await call(
        'GET',
        `${BASE}/${conversationId}/participants/${participantId}/wrapupcodes`,
      );
      return codes.map((c) => ({ id: c.id, name: c.name ?? '' }));
    },
    async wrapup(conversationId, w) {
      const { participantId, communicationId } = await ids(conversationId);
      await call(
        'POST',
        `${BASE}/${conversationId}/participants/${participantId}/communications/${communicationId}/wrapup`,
        { code: w.code, ...(w.notes ? { notes: w.notes } : {}) },
      );
    },
    async summary() {
      const list = await port.list();
      return {
        available: true,
        offered: list.filter((i) => i.state === 'offered').length,
        waiting: list.filter((i) => i.waitingSince !== undefined).length,
      };
    },
  };
  return port;
}

const STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent',
  queued: 'sent',
  'delivery-success': 'delivered',
  read: 'read',
  'delivery-failed': 'failed',
  failed: 'failed',
};

function toMessage(
  d: Json,
  role: { from: 'customer' | 'agent' | 'bot'; status?: string } | undefined,
): TranscriptMessageView {
  const n = d.normalizedMessage ?? {};
  const from =
    n.originatingEntity === 'Bot'
      ? 'bot'
      : (role?.from ?? (d.direction === 'inbound' ? 'customer' : 'agent'));
  const status = from === 'agent' ? STATUS[String(d.status ?? role?.status)] : undefined;
  return {
    id: d.id,
    from,
    ...(from === 'agent' && d.createdBy?.name ? { senderName: d.createdBy.name } : {}),
    text: n.text ?? d.textBody ?? '',
    at: Date.parse(d.timestamp),
    ...(status ? { status } : {}),
    attachments: (n.content ?? [])
      .filter((c: Json) => c.contentType === 'Attachment' && c.attachment?.url)
      .map((c: Json) => ({
        name: c.attachment.filename ?? 'Attachment',
        url: c.attachment.url,
        type: c.attachment.mime ?? c.attachment.mediaType ?? '',
      })),
  };
}
