// The app's typed Genesys Cloud client: every call the app makes, each returning the app's own
// types. Built on GenesysHttp (auth, budget, retries, validation). We use our own client rather than
// the official SDK: loading the SDK costs about 40 MB of resident memory and 200 ms at start
// (measured in Node 22), more than half the idle budget of the whole engine.
import type { ChatMessage, ChatRef, ServerSettings } from '../engine/model.ts';
import { routeOf, type GenesysHttp } from './http.ts';
import { patchSettings, readSettings } from './chat-settings.ts';
import { chatPath, enc } from './paths.ts';
import type { Priority } from './budget.ts';
import { HISTORY_PAGE, readAfter, type ReadResult } from './history-read.ts';
import type { RosterEntry } from './mappers.ts';
import type { TopicListing } from './push-wire.ts';
import { createChannel, replaceTopics } from './channel-api.ts';
import {
  editMessage,
  pinMessage,
  removeMessage,
  sendMessage,
  setReactions,
  type SendInput,
  unpinMessage,
} from './message-actions.ts';
import { MessageMapper } from './message-map.ts';
import { nextQuery, ROSTER_PATH, RosterReader, rosterEntries } from './roster-read.ts';
import {
  ChatMessageWire,
  MessagesAnswerWire,
  PinnedWire,
  RoomParticipantsWire,
  RosterPageWire,
  UserMeWire,
  UserWire,
} from './wire.ts';

export interface Me {
  id: string;
  name: string;
  jid: string;
}

export interface HistoryQuery {
  /** Epoch ms: messages after this (whether a message dated exactly at it comes is the server's call). */
  after?: number;
  /** Epoch ms: messages before this (likewise). */
  before?: number;
  limit?: number;
}

export class ChatApi {
  private readonly http: GenesysHttp;
  private readonly names = new Map<string, string>();
  private readonly mapper: MessageMapper;
  private readonly rosterReader = new RosterReader();

  constructor(http: GenesysHttp) {
    this.http = http;
    this.mapper = new MessageMapper((kind, value, detail) => http.surprise(kind, value, detail));
  }

  async me(): Promise<Me> {
    const me = await this.http.request({
      method: 'GET',
      path: '/api/v2/users/me',
      schema: UserMeWire,
      priority: 'user',
    });
    this.names.set(me.id, me.name ?? '');
    const jid = me.chat?.jabberId ?? '';
    this.mapper.learnJid(jid, me.id);
    return { id: me.id, name: me.name || me.email || 'You', jid };
  }

  /** A user's display name, cached for the session ('' for a sender known only by jid). */
  async userName(userId: string): Promise<string> {
    const known = this.names.get(userId);
    if (known !== undefined) return known;
    if (userId.includes('@')) return ''; // a jid (an integration): no user to ask about
    const user = await this.http.request({
      method: 'GET',
      path: `/api/v2/users/${enc(userId)}`,
      schema: UserWire,
    });
    this.names.set(user.id, user.name ?? '');
    return user.name ?? '';
  }

  rememberName(userId: string, name: string): void {
    if (name) this.names.set(userId, name);
  }

  /**
   * The user's chats. With `stopAtOrBefore`, at least every chat whose last message is newer than
   * it: paging may stop early only once the server has shown it sorts the roster newest first.
   */
  roster(opts: { stopAtOrBefore?: number; priority?: Priority } = {}): Promise<RosterEntry[]> {
    return this.rosterReader.read((query) => this.rosterPage(query, opts.priority), opts.stopAtOrBefore);
  }

  private async rosterPage(query: Record<string, string>, priority: Priority = 'background') {
    const res = await this.http.request({
      method: 'GET',
      path: ROSTER_PATH,
      query,
      schema: RosterPageWire,
      priority,
    });
    const entries = rosterEntries(res.entities, (kind, value, detail) =>
      this.http.surprise(`GET ${ROSTER_PATH}: ${kind}`, value, detail),
    );
    for (const { entry, userName } of entries) {
      if (entry.chat.kind !== 'oneOnOne') continue;
      if (userName) this.rememberName(entry.chat.id, userName);
      this.mapper.learnJid(entry.chat.jid, entry.chat.id);
    }
    const next = nextQuery(res.nextUri);
    const out = entries.map((e) => e.entry);
    return next ? { entries: out, next } : { entries: out };
  }

  /**
   * One page of history, oldest first, one per id. The conversation view reads with `before`: when
   * the server ignored `limit`, the newest `limit` are kept.
   */
  async history(
    chat: ChatRef,
    q: HistoryQuery = {},
    priority: Priority = 'background',
  ): Promise<ChatMessage[]> {
    const { messages } = await this.historyPage(chat, q, priority);
    const limit = q.limit ?? HISTORY_PAGE;
    return messages.length > limit && q.after === undefined ? messages.slice(-limit) : messages;
  }

  /**
   * One history request, with how many entries the server sent (some may not map to a message). A
   * 1on1's history may come as a listing, a bare array or one message: each is read.
   */
  async historyPage(
    chat: ChatRef,
    q: HistoryQuery = {},
    priority: Priority = 'background',
  ): Promise<{ messages: ChatMessage[]; received: number }> {
    const path = `${chatPath(chat)}/messages`;
    const entities = await this.http.request({
      method: 'GET',
      path,
      query: {
        limit: q.limit ?? HISTORY_PAGE,
        ...(q.after !== undefined ? { after: new Date(q.after).toISOString() } : {}),
        ...(q.before !== undefined ? { before: new Date(q.before).toISOString() } : {}),
      },
      schema: MessagesAnswerWire,
      priority,
    });
    return { messages: this.mapper.mapAll(entities, chat, routeOf('GET', path)), received: entities.length };
  }

  /**
   * Everything after `after` (epoch ms), oldest first, however the server orders, limits and bounds
   * its pages (see history-read.ts). `knownLast`: the roster's date of the chat's last message;
   * `known`: the date of the newest message already had.
   */
  readAfter(
    chat: ChatRef,
    opts: { after: number; knownLast?: number; known?: number; maxPages?: number; priority?: Priority },
  ): Promise<ReadResult> {
    return readAfter((q) => this.historyPage(chat, q, opts.priority), {
      after: opts.after,
      ...(opts.knownLast !== undefined ? { knownLast: opts.knownLast } : {}),
      ...(opts.known !== undefined ? { known: opts.known } : {}),
      ...(opts.maxPages !== undefined ? { maxPages: opts.maxPages } : {}),
    });
  }

  async thread(chat: ChatRef, threadId: string, q: HistoryQuery = {}): Promise<ChatMessage[]> {
    const path = `/api/v2/chats/threads/${enc(threadId)}/messages`;
    const entities = await this.http.request({
      method: 'GET',
      path,
      query: {
        limit: q.limit ?? HISTORY_PAGE,
        ...(q.before !== undefined ? { before: new Date(q.before).toISOString() } : {}),
      },
      schema: MessagesAnswerWire,
      priority: 'user',
    });
    return this.mapper.mapAll(entities, chat, routeOf('GET', path));
  }

  async messagesById(
    chat: ChatRef,
    ids: string[],
    priority: Priority = 'background',
  ): Promise<ChatMessage[]> {
    if (ids.length === 0) return [];
    const path = `${chatPath(chat)}/messages/${ids.map(enc).join(',')}`;
    const entities = await this.http.request({ method: 'GET', path, schema: MessagesAnswerWire, priority });
    return this.mapper.mapAll(entities, chat, routeOf('GET', path));
  }

  send(chat: ChatRef, input: SendInput): Promise<string> {
    return sendMessage(this.http, chat, input);
  }

  edit(chat: ChatRef, messageId: string, input: SendInput): Promise<void> {
    return editMessage(this.http, chat, messageId, input);
  }

  remove(chat: ChatRef, messageId: string): Promise<void> {
    return removeMessage(this.http, chat, messageId);
  }

  /** Sets the user's whole set of reactions on a message (the PUT replaces them). */
  setReactions(messageId: string, emojis: string[]): Promise<void> {
    return setReactions(this.http, messageId, emojis);
  }

  async pinnedIds(chat: ChatRef): Promise<string[]> {
    const res = await this.http.request({
      method: 'GET',
      path: chatPath(chat),
      schema: PinnedWire,
      priority: 'user',
    });
    return (res.pinnedMessages ?? []).map((p) => p.id).filter((x): x is string => !!x);
  }

  pin(chat: ChatRef, messageId: string): Promise<void> {
    return pinMessage(this.http, chat, messageId);
  }

  unpin(chat: ChatRef, messageId: string): Promise<void> {
    return unpinMessage(this.http, chat, messageId);
  }

  async participants(roomJid: string): Promise<{ jid: string; userId: string }[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/api/v2/chats/rooms/${enc(roomJid)}/participants`,
      schema: RoomParticipantsWire,
    });
    return (res.participants ?? []).flatMap((p) =>
      p.jid && p.user?.id ? [{ jid: p.jid, userId: p.user.id }] : [],
    );
  }

  settings(): Promise<ServerSettings> {
    return readSettings(this.http);
  }

  /** Changes the given settings and nothing else (see chat-settings.ts). */
  updateSettings(change: Partial<ServerSettings>, before: ServerSettings): Promise<ServerSettings> {
    return patchSettings(this.http, change, before);
  }

  createChannel(): Promise<{ id: string; connectUri: string; expiresAt?: number }> {
    return createChannel(this.http);
  }

  /** Replaces the channel's topics and says what the server made of each (see channel-api.ts). */
  replaceTopics(
    channelId: string,
    topics: string[],
    opts: { ignoreErrors?: boolean } = {},
  ): Promise<TopicListing> {
    return replaceTopics(this.http, channelId, topics, opts);
  }

  /** Where a message lives and who sent it (`GET /api/v2/chats/messages/{id}`). */
  async messageLocation(
    messageId: string,
  ): Promise<{ toJid: string; senderJid?: string; senderId?: string; toUserId?: string }> {
    const m = await this.http.request({
      method: 'GET',
      path: `/api/v2/chats/messages/${enc(messageId)}`,
      schema: ChatMessageWire,
      priority: 'user',
    });
    return {
      toJid: m.toJid ?? '',
      ...(m.jid ? { senderJid: m.jid } : {}),
      ...(m.user?.id ? { senderId: m.user.id } : {}),
      ...(m.toUser?.id ? { toUserId: m.toUser.id } : {}),
    };
  }

  /** Ends the session at Genesys: `token` when the session has already forgotten it (sign-out). */
  async revokeToken(token?: string): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: '/api/v2/tokens/me',
      schema: undefined,
      priority: 'user',
      ...(token !== undefined ? { bearer: token } : {}),
    });
  }
}
