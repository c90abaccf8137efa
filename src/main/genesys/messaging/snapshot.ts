// Reads a conversation snapshot (the `v2.users.{id}.conversations` event body, or the generic
// `GET /api/v2/conversations/{id}`) into the messaging source's `Snapshot`. Participants,
// communications and message ids are parsed one by one: an odd one is counted as a surprise (with
// its shape) and left out, never the whole conversation.
import type { Communication, MessageRef, Participant, Snapshot } from '../../messaging/types.ts';
import { CommunicationWire, ConversationWire, MessageDetailsWire, ParticipantWire } from './wire.ts';

export type SurpriseFn = (kind: string, value: unknown, detail?: string) => void;

/** Epoch ms of an ISO date, 0 when absent or unreadable. */
export function epoch(value: string | null | undefined): number {
  if (!value) return 0;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : 0;
}

/** Known values of the fields the tracker decides on; anything else is counted (and still kept). */
const KNOWN_STATES = new Set([
  'alerting',
  'connected',
  'disconnected',
  'parked',
  'terminated',
  'dialing',
  'contacting',
  'offering',
  'none',
]);

/**
 * The snapshot in `value`, or undefined when it has no readable conversation id and participants
 * (counted under `kind`).
 */
export function readSnapshot(value: unknown, kind: string, surprise: SurpriseFn): Snapshot | undefined {
  const parsed = ConversationWire.safeParse(value);
  if (!parsed.success) {
    surprise(kind, value, parsed.error.issues[0]?.message);
    return undefined;
  }
  const participants: Participant[] = [];
  for (const raw of parsed.data.participants) {
    const p = ParticipantWire.safeParse(raw);
    if (!p.success) {
      surprise(`${kind}: participant`, raw, p.error.issues[0]?.message);
      continue;
    }
    const communications: Communication[] = [];
    for (const rawComm of p.data.messages ?? []) {
      const c = CommunicationWire.safeParse(rawComm);
      if (!c.success) {
        surprise(`${kind}: communication`, rawComm, c.error.issues[0]?.message);
        continue;
      }
      communications.push(readCommunication(c.data, kind, surprise));
    }
    participants.push({
      id: p.data.id,
      ...(p.data.userId ? { userId: p.data.userId } : {}),
      ...(p.data.name ? { name: p.data.name } : {}),
      ...(p.data.address ? { address: p.data.address } : {}),
      purpose: p.data.purpose ?? '',
      wrapupRequired: p.data.wrapupRequired === true,
      wrapupGiven: Boolean(p.data.wrapup?.code),
      ...(typeof p.data.alertingTimeoutMs === 'number'
        ? { alertingTimeoutMs: p.data.alertingTimeoutMs }
        : {}),
      communications,
    });
  }
  return { conversationId: parsed.data.id, participants };
}

function readCommunication(c: CommunicationWire, kind: string, surprise: SurpriseFn): Communication {
  const state = c.state ?? '';
  if (!KNOWN_STATES.has(state)) surprise(`${kind}: communication state`, { state }, 'unknown state');
  const messages: MessageRef[] = [];
  for (const raw of c.messages ?? []) {
    const m = MessageDetailsWire.safeParse(raw);
    if (!m.success) {
      surprise(`${kind}: message details`, raw, m.error.issues[0]?.message);
      continue;
    }
    const at = epoch(m.data.messageTime);
    // Optional in the model: counted, and the message is dated when it is seen (messaging/batch.ts).
    if (!at) surprise(`${kind}: message without messageTime`, raw, 'no messageTime');
    messages.push({
      id: m.data.messageId,
      at,
      ...(m.data.messageStatus ? { status: m.data.messageStatus } : {}),
    });
  }
  const alertingSince = epoch(c.startAlertingTime);
  // When the user was connected, to judge customer messages read late (messaging/presence.ts).
  const connectedAt = epoch(c.connectedTime);
  const disconnectedAt = epoch(c.disconnectedTime);
  return {
    id: c.id,
    state,
    ...(c.type ? { channel: c.type } : {}),
    ...(c.disconnectType ? { disconnectType: c.disconnectType } : {}),
    ...(alertingSince ? { alertingSince } : {}),
    ...(connectedAt ? { connectedAt } : {}),
    ...(disconnectedAt ? { disconnectedAt } : {}),
    messages,
  };
}
