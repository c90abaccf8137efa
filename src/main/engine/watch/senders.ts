// Who sent a pushed message, for the events that do not say: chat events name the sender as an
// entity whose `entityId` is the user id; without it, the jid is looked up (participants, then the message).
import type { ChatApi } from '../../genesys/chat-api.ts';
import type { ChatRef } from '../model.ts';

const MAX_JIDS = 10_000;

export class SenderDirectory {
  private readonly api: Pick<ChatApi, 'participants' | 'messagesById'>;
  private readonly byJid = new Map<string, string>();
  /** Rooms whose participants were read, and (room, jid) pairs already read for (one refresh each). */
  private readonly roomsRead = new Set<string>();
  private readonly refreshedFor = new Set<string>();

  constructor(api: Pick<ChatApi, 'participants' | 'messagesById'>, me: { id: string; jid: string }) {
    this.api = api;
    if (me.jid) this.byJid.set(me.jid, me.id);
  }

  /** Teach a jid → user id pair learnt elsewhere (the roster's 1on1s). */
  learn(jid: string, userId: string): void {
    if (jid && userId && this.byJid.size < MAX_JIDS) this.byJid.set(jid, userId);
  }

  /**
   * The user id behind `jid` in `room`: from what is known, else the room's participants (read once
   * per room, again once per unknown jid), else the message itself. Undefined when nothing says.
   */
  async resolve(room: ChatRef, jid: string | undefined, messageId: string): Promise<string | undefined> {
    if (jid) {
      const known = this.byJid.get(jid);
      if (known) return known;
      const key = `${room.jid} ${jid}`;
      if (!this.roomsRead.has(room.jid) || !this.refreshedFor.has(key)) {
        this.roomsRead.add(room.jid);
        if (this.refreshedFor.size < MAX_JIDS) this.refreshedFor.add(key);
        for (const p of await this.api.participants(room.jid)) this.learn(p.jid, p.userId);
        const found = this.byJid.get(jid);
        if (found) return found;
      }
    }
    const [message] = await this.api.messagesById(room, [messageId]);
    if (message && jid) this.learn(jid, message.senderId);
    return message?.senderId;
  }
}
