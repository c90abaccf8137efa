// The persisted document: user preferences and the watching engine's state, its zod schema (current
// version) and its defaults. Every field has a default, so a missing field is never an error.
import { z } from 'zod';
import { ProxySettingSchema } from '../../shared/proxy.ts';
import { CHAT_ID_MAX, OneOnOneRefSchema, RoomRefSchema } from '../../shared/domain/chat-ref.ts';
import { ClockTimeSchema } from '../../shared/domain/clock-time.ts';
import { LedgerStateSchema } from '../engine/ledger.ts';
import { HeldQueueStateSchema } from '../engine/digest.ts';
import type { AppRules, ChatRef, ServerSettings } from '../engine/model.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import { PREF_LIMITS } from '../../shared/ipc/limits.ts';

export const STORE_VERSION = 2;

export const QuietHoursSchema = z.object({
  start: ClockTimeSchema,
  end: ClockTimeSchema,
  days: z.array(z.number().int().min(0).max(6)).max(7).optional(),
});

export const ChatMuteSchema = z.object({ until: z.number().finite().optional() });

export const PrefsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  sound: z.boolean().default(true),
  showMessageText: z.boolean().default(true),
  launchAtLogin: z.boolean().default(false),
  /** An Electron accelerator for the global shortcut that opens the popup; '' means none. */
  shortcut: z.string().max(PREF_LIMITS.shortcut).default('CommandOrControl+Shift+G'),
  quietHours: QuietHoursSchema.nullable().default(null),
  keywords: z
    .array(z.string().max(PREF_LIMITS.keyword))
    .max(PREF_LIMITS.keywords)
    .default(() => []),
  /**
   * Per-chat mutes, keyed by `ChatRef.id`; a hand-edited file with more keeps the first ones, and a
   * key longer than any chat id is dropped alone (the other mutes are kept).
   */
  chatMutes: z
    .record(z.string(), ChatMuteSchema)
    .transform((m) => {
      const entries = Object.entries(m).filter(([chatId]) => chatId.length <= CHAT_ID_MAX);
      return entries.length === Object.keys(m).length && entries.length <= PREF_LIMITS.chatMutes
        ? m
        : Object.fromEntries(entries.slice(0, PREF_LIMITS.chatMutes));
    })
    .default(() => ({})),
  dnd: z.boolean().default(false),
  /** Do not disturb until this time (epoch ms), set from the tray's "Mute for 1 hour" and the like. */
  dndUntil: z.number().finite().nullable().default(null),
  /** A Genesys Cloud region (`mypurecloud.ie`) or a custom environment's base URL (the demo org, a gateway). */
  environment: z
    .string()
    .regex(/^([a-z0-9.-]+(:\d{1,5})?|https?:\/\/[^\s]{1,290})$/i, 'expected a region host or an http(s) URL')
    .default('mypurecloud.com'),
  /** The OAuth client id of the PKCE client registered in Genesys Admin; '' until configured. */
  clientId: z.string().max(200).default(''),
  /** Fixed loopback port of the OAuth redirect URI (it must match the registered one exactly). */
  loopbackPort: z.number().int().min(1024).max(65535).default(8765),
  /** A proxy from Settings (`host:port`) for every connection to Genesys Cloud; '' follows the system. */
  proxy: ProxySettingSchema.default(''),
});
export type Prefs = z.infer<typeof PrefsSchema>;

// A saved roster entry is a ChatRef (of either kind) plus what the roster endpoint says about activity.
const activity = { dateLastMessage: z.number().finite().optional() };
/**
 * What a room's message topic needs (`RosterEntry.room`): the next start subscribes the saved rooms'
 * topics with its first subscription. Entries saved before it was kept have none (no topic until
 * the first roster read, as on a first run).
 */
const SavedRoomTopicSchema = z.object({
  id: z.string().min(1).max(256).optional(),
  type: z.enum(['group', 'adhoc']),
});
export const SavedChatSchema = z.discriminatedUnion('kind', [
  RoomRefSchema.extend({ ...activity, room: SavedRoomTopicSchema.optional() }),
  OneOnOneRefSchema.extend(activity),
]);
export type SavedChat = z.infer<typeof SavedChatSchema>;
const _savedChatIsChatRef: (entry: SavedChat) => ChatRef = (entry) => entry;
const _savedRoomIsRosterRoom: (room: z.infer<typeof SavedRoomTopicSchema>) => RosterEntry['room'] = (room) =>
  room;
// The kept settings are the engine's ServerSettings, both ways.
const _keptSettingsAreServerSettings: (s: NonNullable<EngineState['settings']>) => ServerSettings = (s) => s;
const _serverSettingsCanBeKept: (s: ServerSettings) => NonNullable<EngineState['settings']> = (s) => s;

export const EngineStateSchema = z.object({
  /** Whose state this is: the ledger and roster belong to one user in one environment. */
  owner: z.object({ userId: z.string(), environment: z.string() }).nullable().default(null),
  ledger: LedgerStateSchema.nullable().default(null),
  held: HeldQueueStateSchema.nullable().default(null),
  /** Messages and reactions waiting to be sent; their shape belongs to the outbox module. */
  outbox: z.array(z.unknown()).default(() => []),
  roster: z.array(SavedChatSchema).default(() => []),
  /** When the last catch-up over REST completed (epoch ms); chats that appear later start here. */
  syncedAt: z.number().finite().nullable().default(null),
  /** The newest message seen per chat (engine/last-messages.ts), for the chat list's previews. */
  lastMessages: z.record(z.string(), z.unknown()).default(() => ({})),
  /** The user's Genesys chat settings as last read: the rules fall back on them if a read fails. */
  settings: z
    .object({ muted: z.boolean(), mentionsOnly: z.boolean(), notifyOnReactions: z.boolean() })
    .nullable()
    .default(null),
  /**
   * The reactions told (`<messageId>:<emoji>:<userId>`, newest last), so that a later change of a
   * message's reactions after a restart does not tell them again. Unreadable entries are skipped.
   */
  reactionsTold: z
    .array(z.unknown())
    .max(5000)
    .default(() => []),
  /** The inbox the popup shows: recent notified items, kept across restarts. */
  inbox: z
    .array(z.unknown())
    .max(1000)
    .default(() => []),
});
export type EngineState = z.infer<typeof EngineStateSchema>;

export const StoreDocumentSchema = z.object({
  version: z.literal(STORE_VERSION),
  prefs: PrefsSchema,
  engine: EngineStateSchema,
});
export type StoreDocument = z.infer<typeof StoreDocumentSchema>;
export type SectionName = 'prefs' | 'engine';

/**
 * What `AppStore.set` validates with. The engine section is compiled (`z.compile`: the same results
 * and errors, faster and with less garbage): the engine saves its whole state often.
 */
export const sectionSchemas = { prefs: PrefsSchema, engine: z.compile(EngineStateSchema) } as const;

export function defaultDocument(): StoreDocument {
  return { version: STORE_VERSION, prefs: PrefsSchema.parse({}), engine: EngineStateSchema.parse({}) };
}

/** The engine's app rules as the preferences hold them. */
export function appRulesFromPrefs(prefs: Prefs, now: number = Date.now()): AppRules {
  const dnd = prefs.dnd || (prefs.dndUntil !== null && prefs.dndUntil > now);
  const rules: AppRules = { chatMutes: prefs.chatMutes, keywords: prefs.keywords, dnd };
  if (prefs.quietHours) rules.quietHours = prefs.quietHours;
  return rules;
}
