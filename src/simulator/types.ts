// Public types: simulator options and the Genesys JSON shapes it serves (mirroring the official SDK models).
import type { WireVariants } from './variants.ts';

export interface TrafficOptions {
  /** Shortest pause between two generated actions (default 20 000 ms). */
  minIntervalMs?: number;
  /** Longest pause between two generated actions (default 90 000 ms). */
  maxIntervalMs?: number;
}

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Seed for everything generated: ids, names, history, traffic (default 1). */
  seed?: number;
  /** Start the traffic generator: `true` for the default pace, or custom intervals. */
  traffic?: boolean | TrafficOptions;
  /** Access token lifetime (default 86 400 s). */
  tokenLifetimeSeconds?: number;
  /** Requests per rolling minute per access token (default 300); `null` means no limit. */
  rateLimitPerMinute?: number | null;
  /** Notification socket heartbeat period (default 30 000 ms). */
  heartbeatIntervalMs?: number;
  /** Notification channel lifetime, extended by each subscription change (default 24 h). */
  channelLifetimeMs?: number;
  /** Delay between `v2.system.socket_closing` and the close (default 60 000 ms). */
  socketClosingGraceMs?: number;
  /** When set, only these OAuth client ids are accepted. */
  allowedClientIds?: string[];
  /** Maximum `limit` for message history (default 100; default page is 25). */
  historyPageLimit?: number;
  /** Page size of `GET /api/v2/users/chats/me` (default 100). */
  rosterPageSize?: number;
  /**
   * Whether the authorization_code grant returns a refresh token (default false: whether Genesys
   * gives one to a public PKCE client is unconfirmed, so the strict answer is the default).
   */
  issueRefreshTokens?: boolean;
  /** The answers to undocumented REST behaviour (roster and history order, limits, bounds, shapes). */
  variants?: Partial<WireVariants>;
  /** Suppress console output (bug reports for unexpected 500s). */
  quiet?: boolean;
  /**
   * The secret the control interface (/_sim) asks for in its `x-sim-control-token` header
   * (16–200 characters of A–Z a–z 0–9 . _ ~ -). Default: a fresh random one per run.
   */
  controlToken?: string;
  /**
   * Serve over TLS with this key and certificate (PEM), as `https://localhost:<port>` and
   * `wss://` sockets: for tests of company certificate authorities. The certificate must name
   * `localhost`.
   */
  tls?: { key: string; cert: string };
  /** Customer conversations (the Messaging Conversations API); see `MessagingOptions`. */
  messaging?: MessagingOptions;
  /**
   * OAuth scopes granted to named OAuth client ids, as configured on an OAuth client in Genesys
   * Admin (for example `{ 'tray-app': ['chat', 'users:readonly'] }`); clients not named have every
   * scope. Checked by the messaging endpoints (`conversations`, `messaging`).
   */
  clientScopes?: Record<string, string[]>;
}

export interface MessagingOptions {
  /** How long an offer alerts before it ends with the agent Not Responding (default 30 000 ms). */
  alertingTimeoutMs?: number;
  /** Users with the messaging permissions (ids or emails); default: the demo user only. */
  agents?: string[];
  /** The user new conversations are offered to (id or email); default: the demo user. */
  agent?: string;
  /** Include the deprecated `MessageData.textBody` in answers (default false, as since 2026). */
  textBody?: boolean;
  /** Order of the bulk answer (default 'newest-first'; Genesys's order is unconfirmed). */
  bulkOrder?: 'newest-first' | 'oldest-first';
}

export interface ResolvedOptions {
  port: number;
  seed: number;
  tokenLifetimeSeconds: number;
  rateLimitPerMinute: number | null;
  heartbeatIntervalMs: number;
  channelLifetimeMs: number;
  socketClosingGraceMs: number;
  allowedClientIds: string[] | null;
  historyPageLimit: number;
  historyDefaultLimit: number;
  rosterPageSize: number;
  issueRefreshTokens: boolean;
  variants: WireVariants;
  quiet: boolean;
  controlToken: string;
}

/** A demo user as the simulator describes it (control interface, `Simulator.users`). */
export interface SimUser {
  id: string;
  name: string;
  email: string;
  title: string;
  department: string;
  jid: string;
}

export interface EntityRef {
  id: string;
  selfUri?: string;
}

export interface ChatReaction {
  emoji: string;
  users: EntityRef[];
}

/** `ChatMessageResponse`. */
export interface ChatMessage {
  id: string;
  dateCreated: string;
  dateModified?: string;
  toJid: string;
  jid: string;
  body: string;
  mentions?: Record<string, string>;
  edited?: boolean;
  thread: { id: string };
  parentThread?: { id: string };
  user?: EntityRef;
  toUser?: EntityRef;
  reactions?: ChatReaction[];
}

export interface Room {
  id: string;
  name: string;
  dateCreated: string;
  roomType: 'group' | 'adhoc';
  description: string;
  subject: string;
  participantLimit: number;
  owners?: EntityRef[];
  pinnedMessages: EntityRef[];
  jid: string;
  selfUri: string;
}

export interface ChatPresence {
  source: string;
  systemPresence: string;
  message?: string;
  dateModified: string;
}

export interface ChatUserRef {
  id: string;
  name: string;
  jid: string;
  selfUri: string;
  presence?: ChatPresence;
}

export interface ChatItem {
  id: string;
  name: string;
  open: boolean;
  dateLastMessage?: string;
  dateClosed?: string;
  user?: ChatUserRef;
  room?: Room;
  chatType: 'group' | 'adhoc' | 'oneOnOne';
  selfUri: string;
}

export interface ChatItemCursorListing {
  entities: ChatItem[];
  nextUri?: string;
  previousUri?: string;
  selfUri: string;
}

export interface GenesysUser {
  id: string;
  name: string;
  division: { id: string; name: string; selfUri: string };
  chat: { jabberId: string };
  department: string;
  email: string;
  primaryContactInfo: { address: string; mediaType: string; type: string }[];
  addresses: unknown[];
  state: string;
  title: string;
  username: string;
  images: unknown[];
  version: number;
  acdAutoAnswer: boolean;
  selfUri: string;
}

export interface MobileSettings {
  notifications: { when: 'Always' | 'OnlyWhenInactive' };
}

export interface UserChatSettings {
  muted: boolean;
  mentionsOnly: boolean;
  notifyOnReactions: boolean;
  mobile: MobileSettings;
}

export interface OrgChatSettings {
  messageRetentionPeriodDays: number;
  reactionsEnabled: boolean;
}

export interface NotificationChannel {
  id: string;
  connectUri: string;
  expires: string;
}

/** One `ChannelTopic` of a subscriptions answer. */
export interface ChannelTopic {
  id: string;
  state: 'Permitted' | 'Rejected';
  rejectionReason?: string;
  missingPermissions?: string[];
}

/** `CollaborateChat{Group,Adhoc}MessageEventTopicCollaborateChatEntity`: who sent, where, whom it mentions. */
export interface ChatEntity {
  entityJid: string;
  entityId: string;
  entityType: 'User' | 'Group' | 'Adhoc';
}

/** Body of a `v2.detail.events.collaboratechat.*.messages` event (`...CollaborateChatMessage`). */
export interface ChatMessageEvent {
  messageId: string;
  created: string;
  actionType: 'Create' | 'Edit' | 'Delete';
  body: string;
  from: ChatEntity;
  to: ChatEntity;
  mentions: ChatEntity[];
  notifyAll: boolean;
  reactions: Record<string, string[]>;
}

/** Body of a `v2.system.*` notice (`SystemMessageSystemMessage`). */
export interface SystemMessageEvent {
  channelId: string;
  systemTopicType: string;
  correlationId: string;
  userId?: string;
  oauthClientId?: string;
  reason?: string;
  message: string;
}

/** Body of a `v2.users.{id}.badges.chats` event. */
export interface ChatBadgeEvent {
  entity: { jabberId: string };
  unreadCount: number;
  lastUnreadNotificationDate: string;
}

export interface NotificationEnvelope<T = unknown> {
  topicName: string;
  version: '2';
  eventBody: T;
  metadata: { CorrelationId: string };
}

/** One entry of the request log kept for the control interface. */
export interface RequestLogEntry {
  /** When the request arrived, as the server reports time (shifted by the clock offset). */
  at: string;
  /** When the request arrived, real epoch ms (not shifted), e.g. for rolling-window counts. */
  receivedAt: number;
  method: string;
  path: string;
  status: number;
  userId?: string;
  route?: string;
  /** The JSON body of an API request (up to 8 KB): what the client sent. */
  body?: unknown;
}

export interface RequestCounters {
  total: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
}
