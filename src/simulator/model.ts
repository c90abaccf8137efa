// Internal records of the simulated org: users, rooms, 1on1s and messages (kept lean for large loads).

export type PresenceState = 'Available' | 'Away' | 'Busy' | 'Meeting' | 'Offline';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  title: string;
  department: string;
  jid: string;
  presence: PresenceState;
  presenceMessage?: string;
}

export interface MessageRecord {
  id: string;
  chat: ChatRecord;
  senderId: string;
  body: string;
  /** dateCreated in epoch ms; unique and strictly increasing in creation order. */
  dateMs: number;
  modifiedMs: number | undefined;
  /** Mentioned user ids. */
  mentions: string[];
  /** Id of the thread root (the message's own id for a root). */
  threadId: string;
  deleted: boolean;
  /** emoji -> user ids, in first-reaction order. */
  reactions: Map<string, string[]> | undefined;
  /** Replies, oldest first (roots only). */
  replies: MessageRecord[] | undefined;
}

interface ChatBase {
  /** Unique key: the room jid, or `direct:<userA>|<userB>` with sorted ids. */
  key: string;
  /** Messages oldest first, including deleted ones (skipped when listing). */
  messages: MessageRecord[];
  /** Pinned message ids, in pin order (at most 5). */
  pins: string[];
  lastMessageMs: number | undefined;
  createdMs: number;
}

export interface RoomRecord extends ChatBase {
  kind: 'room';
  id: string;
  jid: string;
  roomType: 'group' | 'adhoc';
  name: string;
  subject: string;
  description: string;
  owners: string[];
  participants: Set<string>;
}

export interface DirectRecord extends ChatBase {
  kind: 'direct';
  users: [string, string];
}

export type ChatRecord = RoomRecord | DirectRecord;

export const MAX_PINS = 5;
export const USER_DOMAIN = 'demo.genesys.local';
export const ROOM_DOMAIN = 'conference.demo.genesys.local';

export function directKey(a: string, b: string): string {
  return a < b ? `direct:${a}|${b}` : `direct:${b}|${a}`;
}
