// The app's typed Genesys Cloud client: every call the app makes, each returning the app's own
// types. Built on GenesysHttp (auth, budget, retries, validation). We use our own client rather than
// the official SDK: loading the SDK costs about 40 MB of resident memory and 200 ms at start
// (measured in Node 22), more than half the idle budget of the whole engine.
import { z } from 'zod';
import type { ChatMessage, ChatRef, ServerSettings } from '../engine/model.ts';
import { GenesysError, type GenesysHttp } from './http.ts';
import type { Priority } from './budget.ts';
import { toMessage, toRosterEntry, type RosterEntry } from './mappers.ts';
import { ChannelWire, readTopicListing, type TopicListing } from './push-wire.ts';
import {
  ChatMessageWire,
  ChatSettingsWire,
  MessageListingWire,
  PinnedWire,
  RoomParticipantsWire,
  RosterPageWire,
  SendResultWire,
  UserMeWire,
  UserWire,
} from './wire.ts';

export interface Me {
  id: string;
  name: string;
  jid: string;
}

export interface HistoryQuery {
  /** Epoch ms: only messages strictly after this (oldest first). */
  after?: number;
  /** Epoch ms: only messages strictly before this. */
  before?: number;
  limit?: number;
}

export interface SendInput {
  text: string;
  mentions?: string[];
  threadId?: string;
}

/** The page size the app asks history for: the most Genesys gives in one page. */
export const HISTORY_PAGE = 100;

/**
 * One path segment from an id. `.` and `..` survive encodeURIComponent and would be resolved by
 * the URL parser into another API path (with the user's token), so they are refused outright.
 */
export function enc(id: string): string {
  if (id === '' || id === '.' || id === '..')
    throw new GenesysError('http', `Not a valid id: "${id}".`, 400, 'bad.request');
  return encodeURIComponent(id);
}

export class ChatApi {
  private readonly http: GenesysHttp;
  private readonly names = new Map<string, string>();

  constructor(http: GenesysHttp) {
    this.http = http;
  }

  async me(): Promise<Me> {
    const me = await this.http.request({
      method: 'GET',
      path: '/api/v2/users/me',
      schema: UserMeWire,
      priority: 'user',
    });
    this.names.set(me.id, me.name ?? '');
    return { id: me.id, name: me.name ?? me.email ?? 'You', jid: me.chat?.jabberId ?? '' };
  }

  /** A user's display name, cached for the session. */
  async userName(userId: string): Promise<string> {
    const known = this.names.get(userId);
    if (known !== undefined) return known;
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
   * The user's chats, newest activity first. With `stopAtOrBefore`, paging stops at the first page
   * that reaches chats whose last message is not newer than it: one request finds what changed.
   */
  async roster(opts: { stopAtOrBefore?: number; priority?: Priority } = {}): Promise<RosterEntry[]> {
    const out: RosterEntry[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await this.http.request({
        method: 'GET',
        path: '/api/v2/users/chats/me',
        query: { excludeClosed: false, ...(after ? { after } : {}) },
        schema: RosterPageWire,
        priority: opts.priority ?? 'background',
      });
      let reachedOld = false;
      for (const item of res.entities) {
        const entry = toRosterEntry(item);
        if (!entry) continue;
        out.push(entry);
        if (entry.chat.kind === 'oneOnOne' && item.user?.name)
          this.rememberName(entry.chat.id, item.user.name);
        if (opts.stopAtOrBefore !== undefined && (entry.lastMessageAt ?? 0) <= opts.stopAtOrBefore)
          reachedOld = true;
      }
      after = cursorOf(res.nextUri);
      if (!after || reachedOld) break;
    }
    return out;
  }

  async history(
    chat: ChatRef,
    q: HistoryQuery = {},
    priority: Priority = 'background',
  ): Promise<ChatMessage[]> {
    return (await this.historyPage(chat, q, priority)).messages;
  }

  /**
   * One history page, with how many entries the server sent: a page is full (more may follow) when
   * `received` reaches the limit, even if some entries could not be mapped.
   */
  async historyPage(
    chat: ChatRef,
    q: HistoryQuery = {},
    priority: Priority = 'background',
  ): Promise<{ messages: ChatMessage[]; received: number }> {
    const res = await this.http.request({
      method: 'GET',
      path: `${chatPath(chat)}/messages`,
      query: {
        limit: q.limit ?? HISTORY_PAGE,
        ...(q.after !== undefined ? { after: new Date(q.after).toISOString() } : {}),
        ...(q.before !== undefined ? { before: new Date(q.before).toISOString() } : {}),
      },
      schema: MessageListingWire,
      priority,
    });
    return { messages: mapAll(res.entities, chat), received: res.entities.length };
  }

  async thread(chat: ChatRef, threadId: string, q: HistoryQuery = {}): Promise<ChatMessage[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/api/v2/chats/threads/${enc(threadId)}/messages`,
      query: {
        limit: q.limit ?? HISTORY_PAGE,
        ...(q.before !== undefined ? { before: new Date(q.before).toISOString() } : {}),
      },
      schema: MessageListingWire,
      priority: 'user',
    });
    return mapAll(res.entities, chat);
  }

  async messagesById(
    chat: ChatRef,
    ids: string[],
    priority: Priority = 'background',
  ): Promise<ChatMessage[]> {
    if (ids.length === 0) return [];
    const res = await this.http.request({
      method: 'GET',
      path: `${chatPath(chat)}/messages/${ids.map(enc).join(',')}`,
      schema: MessageListingWire,
      priority,
    });
    return mapAll(res.entities, chat);
  }

  async send(chat: ChatRef, input: SendInput): Promise<string> {
    const res = await this.http.request({
      method: 'POST',
      path: `${chatPath(chat)}/messages`,
      body: {
        message: input.text,
        ...(input.mentions?.length ? { mentions: input.mentions } : {}),
        ...(input.threadId ? { threadId: input.threadId } : {}),
      },
      schema: SendResultWire,
      priority: 'user',
    });
    return res.id;
  }

  async edit(chat: ChatRef, messageId: string, input: SendInput): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path: `${chatPath(chat)}/messages/${enc(messageId)}`,
      body: { message: input.text, ...(input.mentions?.length ? { mentions: input.mentions } : {}) },
      schema: z.unknown(),
      priority: 'user',
      retryUnsafe: true, // an edit sets the same text again: safe to repeat
    });
  }

  async remove(chat: ChatRef, messageId: string): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `${chatPath(chat)}/messages/${enc(messageId)}`,
      schema: undefined,
      priority: 'user',
    });
  }

  /** Sets the user's whole set of reactions on a message (the PUT replaces them). */
  async setReactions(messageId: string, emojis: string[]): Promise<void> {
    await this.http.request({
      method: 'PUT',
      path: `/api/v2/chats/messages/${enc(messageId)}/reactions`,
      body: { reactions: emojis },
      schema: undefined,
      priority: 'user',
    });
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

  async pin(chat: ChatRef, messageId: string): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `${chatPath(chat)}/messages/pins`,
      body: { pinnedMessageIds: [messageId] },
      schema: undefined,
      priority: 'user',
      retryUnsafe: true, // pinning a pinned message changes nothing
    });
  }

  async unpin(chat: ChatRef, messageId: string): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `${chatPath(chat)}/messages/pins/${enc(messageId)}`,
      schema: undefined,
      priority: 'user',
    });
  }

  async participants(roomJid: string): Promise<{ jid: string; userId: string }[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `/api/v2/chats/rooms/${enc(roomJid)}/participants`,
      schema: RoomParticipantsWire,
    });
    return res.participants.flatMap((p) => (p.jid && p.user?.id ? [{ jid: p.jid, userId: p.user.id }] : []));
  }

  async settings(): Promise<ServerSettings> {
    const s = await this.http.request({
      method: 'GET',
      path: '/api/v2/chats/users/me/settings',
      schema: ChatSettingsWire,
      priority: 'user',
    });
    return {
      muted: s.muted ?? false,
      mentionsOnly: s.mentionsOnly ?? false,
      notifyOnReactions: s.notifyOnReactions ?? true,
    };
  }

  async updateSettings(next: ServerSettings): Promise<ServerSettings> {
    const s = await this.http.request({
      method: 'PATCH',
      path: '/api/v2/chats/users/me/settings',
      body: { ...next, mobile: { notifications: { when: 'Always' } } },
      schema: ChatSettingsWire,
      priority: 'user',
      retryUnsafe: true, // setting the same values again is harmless
    });
    return {
      muted: s.muted ?? next.muted,
      mentionsOnly: s.mentionsOnly ?? next.mentionsOnly,
      notifyOnReactions: s.notifyOnReactions ?? next.notifyOnReactions,
    };
  }

  async createChannel(): Promise<{ id: string; connectUri: string; expiresAt?: number }> {
    const c = await this.http.request({
      method: 'POST',
      path: '/api/v2/notifications/channels',
      schema: ChannelWire,
      retryUnsafe: true,
    });
    const expiresAt = c.expires ? Date.parse(c.expires) : NaN;
    return { id: c.id, connectUri: c.connectUri, ...(Number.isFinite(expiresAt) ? { expiresAt } : {}) };
  }

  /**
   * Replaces the channel's topics (PUT, which also extends its life) and returns what the answer
   * says of each topic (`ChannelTopic.state`: only Permitted ones are subscribed). With
   * `ignoreErrors`, topics the server does not permit come back Rejected instead of failing the
   * whole request. The answer is read leniently (see `readTopicListing`): its surprises are returned.
   */
  async replaceTopics(
    channelId: string,
    topics: string[],
    opts: { ignoreErrors?: boolean } = {},
  ): Promise<TopicListing> {
    const res = await this.http.request({
      method: 'PUT',
      path: `/api/v2/notifications/channels/${enc(channelId)}/subscriptions`,
      ...(opts.ignoreErrors ? { query: { ignoreErrors: true } } : {}),
      body: topics.map((id) => ({ id })),
      schema: z.unknown(),
    });
    return readTopicListing(res);
  }

  /** Where a message lives and who sent it (`GET /api/v2/chats/messages/{id}`). */
  async messageLocation(messageId: string): Promise<{ toJid: string; senderId?: string; toUserId?: string }> {
    const m = await this.http.request({
      method: 'GET',
      path: `/api/v2/chats/messages/${enc(messageId)}`,
      schema: ChatMessageWire,
      priority: 'user',
    });
    return {
      toJid: m.toJid ?? '',
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

export function chatPath(chat: ChatRef): string {
  return chat.kind === 'room'
    ? `/api/v2/chats/rooms/${enc(chat.jid)}`
    : `/api/v2/chats/users/${enc(chat.id)}`;
}

function mapAll(entities: z.infer<typeof MessageListingWire>['entities'], chat: ChatRef): ChatMessage[] {
  return entities.flatMap((w) => {
    const m = toMessage(w, chat);
    return m ? [m] : [];
  });
}

/** The `after` cursor of a roster page's nextUri, if any. */
function cursorOf(nextUri: string | null | undefined): string | undefined {
  if (!nextUri) return undefined;
  try {
    return new URL(nextUri, 'http://x').searchParams.get('after') ?? undefined;
  } catch {
    return undefined;
  }
}
