// What one snapshot of a customer conversation says, read the same way by the tracker, the actions
// and the presence judgement: the user's agent participants, the customer and their messages, when
// an agent last wrote, why an offer ended. Pure.
import type { Communication, CustomerChatRef, MessageRef, OfferEnd, Participant, Snapshot } from './types.ts';

/**
 * The user's own agent participants with a messaging communication, oldest first (re-routed agents
 * get new participants). The topic carries every media type: a call's participant is not one.
 */
export function myAgents(s: Snapshot, me: string): Participant[] {
  return s.participants.filter(
    (p) => p.purpose === 'agent' && p.userId === me && p.communications.length > 0,
  );
}

/** The communication of a participant that matters: its newest one. */
export function currentCommunication(p: Participant | undefined): Communication | undefined {
  return p?.communications.at(-1);
}

/** The conversation as the engine's chat: the customer's name and the channel. */
export function chatRefOf(s: Snapshot): CustomerChatRef {
  const customer = s.participants.find((p) => p.purpose === 'customer');
  const channel =
    currentCommunication(customer)?.channel ??
    s.participants.flatMap((p) => p.communications).find((c) => c.channel)?.channel ??
    'message';
  return {
    id: s.conversationId,
    kind: 'customer',
    jid: '',
    name: customer?.name || customer?.address || 'Customer',
    channel,
  };
}

/** Every message id under the customer participant(s), oldest first. Bot and workflow messages are elsewhere. */
export function customerMessages(s: Snapshot): MessageRef[] {
  return s.participants
    .filter((p) => p.purpose === 'customer')
    .flatMap((p) => p.communications.flatMap((c) => c.messages))
    .sort((a, b) => a.at - b.at);
}

/** Customer messages newer than the newest message of any agent (the user or a colleague), oldest first. */
export function unanswered(s: Snapshot): MessageRef[] {
  const answered = answeredAt(s);
  return customerMessages(s).filter((m) => m.at > answered);
}

/** Server time of the newest message of any agent but `except` (0 when no agent wrote). */
export function answeredAt(s: Snapshot, except?: ReadonlySet<string>): number {
  let at = 0;
  for (const p of s.participants)
    if (p.purpose === 'agent')
      for (const c of p.communications)
        for (const m of c.messages) if (!except?.has(m.id)) at = Math.max(at, m.at);
  return at;
}

export function firstUnanswered(s: Snapshot): MessageRef | undefined {
  return unanswered(s)[0];
}

export function newestTime(s: Snapshot): number {
  let at = 0;
  for (const p of s.participants)
    for (const c of p.communications) for (const m of c.messages) at = Math.max(at, m.at);
  return at;
}

/** Why the offer of `participantId` is over, from the snapshot that no longer shows it alerting. */
export function offerEnd(s: Snapshot, participantId: string): OfferEnd {
  const p = s.participants.find((x) => x.id === participantId);
  const comm = currentCommunication(p);
  if (!p || !comm) return 'ended-elsewhere';
  if (comm.state === 'connected') return 'accepted';
  const customers = s.participants.filter((x) => x.purpose === 'customer');
  const customerGone =
    customers.length > 0 && customers.every((c) => currentCommunication(c)?.state === 'disconnected');
  if (customerGone && comm.disconnectType !== 'client') return 'customer-left';
  if (comm.disconnectType === 'transfer.noanswer' || comm.disconnectType === 'timeout') return 'timed-out';
  if (comm.disconnectType === 'client' || comm.disconnectType === 'endpoint') return 'declined';
  return 'ended-elsewhere';
}
