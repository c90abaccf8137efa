// Whether the user was connected to a customer conversation WHEN a customer message was written, not
// when the engine first reads it: a message read late (after a gap, once the user's part ended and
// was wrapped up) is still the user's to be told of. Two kinds of evidence, the first that applies:
// - seen: the snapshot before showed the user connected on the same communication that is still
//   connected now, so what is new since was written while connected, whatever the clocks say (a
//   message's `messageTime` and the communication's times may come from different clocks, and
//   server clocks jump);
// - the spans: the user's agent communications' `connectedTime` .. `disconnectedTime`
//   (`ConversationEventTopicMessage` in events, `Message` in the generic conversation), against the
//   message's time.
// Where a time the spans need is absent, the message is judged as before, by the communication's
// current state, and the verdict says so (the source counts it). Pure.
import { currentCommunication, myAgents } from './snapshot-facts.ts';
import type { CustomerEventKind, Snapshot } from './types.ts';

/** A stretch of server time the user was connected; `to` absent: still connected. */
export interface Span {
  from: number;
  to?: number;
}

/** When the user was connected to one conversation, as one snapshot shows it. */
export interface Presence {
  spans: Span[];
  /** A time the spans need that the snapshot lacks: messages outside the spans are judged by state. */
  missing?: 'connectedTime' | 'disconnectedTime';
  /** The user's last agent communication is connected now (the judgement without times). */
  connectedNow: boolean;
  /** It was already connected in the snapshot before: whatever is new was written while connected. */
  connectedThrough?: boolean;
}

type Kind = Exclude<CustomerEventKind, 'offer'>;

/** How a message was judged: seen arriving while connected, by the spans, or by the current state for want of `missing`. */
export type Verdict =
  | { kind: Kind; by: 'seen' | 'spans' }
  | { kind: Kind; by: 'state'; missing: 'messageTime' | 'connectedTime' | 'disconnectedTime' };

/** Never connected (or not the user's): every message is context. */
export const NOT_CONNECTED: Presence = { spans: [], connectedNow: false };

/**
 * The spans of the user's agent participants' communications (re-routed agents get new
 * participants, so there may be several). A communication that connected and has not disconnected
 * is open-ended. One that never shows a `connectedTime` was never connected (an offer declined or
 * timed out), unless it is connected now: then the time is missing. `before` is the snapshot of the
 * same conversation the tracker saw last, if any.
 */
export function presenceOf(s: Snapshot, me: string, before?: Snapshot): Presence {
  const spans: Span[] = [];
  let missing: Presence['missing'];
  const mine = myAgents(s, me);
  for (const p of mine) {
    for (const c of p.communications) {
      if (c.connectedAt === undefined) {
        if (c.state === 'connected') missing ??= 'connectedTime';
        continue;
      }
      if (c.disconnectedAt !== undefined) spans.push({ from: c.connectedAt, to: c.disconnectedAt });
      else if (c.state === 'connected') spans.push({ from: c.connectedAt });
      // Connected once, no longer connected, and no end time: the span's end is not known.
      else missing ??= 'disconnectedTime';
    }
  }
  const now = currentCommunication(mine.at(-1));
  const connectedNow = now?.state === 'connected';
  // A communication that disconnected never connects again: connected at both moments, it was between.
  const then = before ? currentCommunication(myAgents(before, me).at(-1)) : undefined;
  const connectedThrough = connectedNow && then?.state === 'connected' && then.id === now?.id;
  return {
    spans,
    connectedNow,
    ...(connectedThrough ? { connectedThrough } : {}),
    ...(missing ? { missing } : {}),
  };
}

/**
 * How a new customer message written at `at` (server epoch ms, 0 when unknown) counts: `customer`
 * when it arrived while the user stayed connected, or falls inside a span (ends included),
 * `context` otherwise. Without its time, or outside the spans while a span may be missing, it is
 * judged by the current state, as it was before the spans.
 */
export function judge(at: number, p: Presence): Verdict {
  if (p.connectedThrough) return { kind: 'customer', by: 'seen' };
  if (at > 0 && p.spans.some((s) => at >= s.from && (s.to === undefined || at <= s.to)))
    return { kind: 'customer', by: 'spans' };
  // Never connected: context whenever it was written.
  if (p.spans.length === 0 && !p.missing) return { kind: 'context', by: 'spans' };
  const missing = at > 0 ? p.missing : 'messageTime';
  if (missing) return { kind: p.connectedNow ? 'customer' : 'context', by: 'state', missing };
  return { kind: 'context', by: 'spans' };
}
