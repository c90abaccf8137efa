// The fingerprint of an entry of the active listing (`GET /api/v2/conversations/messages`): what it
// shows of each participant (state, wrap-up, message ids and statuses) as one string, so a catch-up
// can tell that a conversation has not changed since it was last read.
import { MessageDetailsWire, MessageMediaParticipantWire } from './wire.ts';

/** What a listing entry says of its participants, as one string (see `activeConversations`). */
export function listingFingerprint(participants: readonly unknown[] | null | undefined): string | undefined {
  if (!participants?.length) return undefined;
  const parts: string[] = [];
  for (const raw of participants) {
    const p = MessageMediaParticipantWire.safeParse(raw);
    if (!p.success) return undefined;
    const extra = raw as { wrapupRequired?: unknown; wrapup?: unknown };
    const messages: string[] = [];
    for (const m of p.data.messages ?? []) {
      const d = MessageDetailsWire.safeParse(m);
      if (!d.success) return undefined;
      messages.push(`${d.data.messageId}/${d.data.messageStatus ?? ''}`);
    }
    parts.push(
      [
        p.data.id,
        p.data.state ?? '',
        extra.wrapupRequired === true,
        extra.wrapup ? 1 : 0,
        messages.join(','),
      ].join(':'),
    );
  }
  return parts.join('|');
}
