// Turns the entries of a history answer into the app's messages, one by one: an entry that cannot
// be read is counted as a wire surprise and the rest are kept. Senders without `user`
// (integrations) are resolved from their jid with what the session has learnt.
import type { ChatMessage, ChatRef } from '../engine/model.ts';
import { sortMessages } from './history-read.ts';
import { toMessage } from './mappers.ts';
import { ChatMessageWire } from './wire.ts';

const MAX_JIDS = 10_000;

export type SurpriseSink = (kind: string, value: unknown, detail?: string) => void;

export class MessageMapper {
  /** Jid → user id, learnt from the user, the roster and messages that carry both. */
  private readonly jids = new Map<string, string>();
  private readonly surprise: SurpriseSink;

  constructor(surprise: SurpriseSink) {
    this.surprise = surprise;
  }

  learnJid(jid: string | null | undefined, userId: string | null | undefined): void {
    if (jid && userId && this.jids.size < MAX_JIDS) this.jids.set(jid, userId);
  }

  /** The entries of one answer (`route`: what it was, without ids), oldest first, one per id. */
  mapAll(entities: unknown[], chat: ChatRef, route: string): ChatMessage[] {
    const out: ChatMessage[] = [];
    const context = {
      id: chat.id,
      kind: chat.kind,
      userIdOfJid: (jid: string) => this.userIdOfJid(jid, chat),
    };
    for (const raw of entities) {
      const wire = ChatMessageWire.safeParse(raw);
      if (!wire.success) {
        this.surprise(`${route}: ChatMessageResponse`, raw, wire.error.issues[0]?.message);
        continue;
      }
      if (wire.data.user?.id) this.learnJid(wire.data.jid, wire.data.user.id);
      const m = toMessage(wire.data, context);
      if (m) out.push(m);
      else this.surprise(`${route}: ChatMessageResponse without a date or sender`, raw);
    }
    return sortMessages(out);
  }

  /** The user behind a sender jid: learnt, or in a 1on1 the other side. */
  private userIdOfJid(jid: string, chat: ChatRef): string | undefined {
    return this.jids.get(jid) ?? (chat.kind === 'oneOnOne' && chat.jid === jid ? chat.id : undefined);
  }
}
