// The domain vocabulary: the kinds of conversation the app watches and the kinds of notification it
// gives, each declared ONCE as a zod schema. Every other copy (store, outbox, inbox, IPC views,
// renderer types) derives from these (`z.infer`, `.options`, `.extract`), and what each kind can do
// is asked of its capability record instead of testing the kind. Adding a kind is a one-line change
// here; the type checker then lists every record and switch that must learn it.
import { z } from 'zod';

/**
 * A Genesys group chat ("room"), a one-to-one chat with another user, or a customer conversation
 * (Messaging Conversations API: its `id` is the conversationId; not a Collaborate chat).
 */
export const ChatKindSchema = z.enum(['room', 'oneOnOne', 'customer']);
export type ChatKind = z.infer<typeof ChatKindSchema>;

/**
 * Why one message or reaction notifies. `offer`: a customer conversation is offered to the user (an
 * agent); `customer`: a customer wrote in a conversation the user is connected to.
 */
export const NotifyKindSchema = z.enum(['mention', 'direct', 'message', 'reaction', 'offer', 'customer']);
export type NotifyKind = z.infer<typeof NotifyKindSchema>;

/** What the notification layer shows: one event of a `NotifyKind`, or a digest of many. */
export const NotificationKindSchema = z.enum([...NotifyKindSchema.options, 'digest']);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** Which rule made an event notify (finer than its kind: a mention, or @all). */
export const NotifyReasonSchema = z.enum([
  'mention',
  'notify-all',
  'direct',
  'keyword',
  'room-message',
  'reaction',
  'offer',
  'customer',
]);
export type NotifyReason = z.infer<typeof NotifyReasonSchema>;

/** What holds notifications back for a summary later: the user's do-not-disturb, or quiet hours. */
export const HoldCauseSchema = z.enum(['dnd', 'quiet-hours']);
export type HoldCause = z.infer<typeof HoldCauseSchema>;

/** What a kind of conversation can do; the rules, the outbox, the IPC layer and the popup ask this. */
export interface ChatCapabilities {
  /** Messages can be pinned (and the pins listed). */
  pins: boolean;
  /** Replies can go in a thread under a message. */
  threads: boolean;
  /** Messages take emoji reactions. */
  reactions: boolean;
  /** The user's own messages can be edited and deleted. */
  editDelete: boolean;
  /** The user's part is ended, then wrapped up with a code (a customer interaction). */
  endAndWrapup: boolean;
  /**
   * The "mentions only" setting applies: messages that do not mention the user stay quiet. Where it
   * does not apply, every message is addressed to the user (a direct message) and always notifies.
   */
  mentionsOnly: boolean;
  /** Who takes part: the members of a room (read from the API), or just the user and the other person. */
  participants: 'members' | 'pair';
  /** A notification's title names the conversation beside the sender ("Priya in Deploys"). */
  titleNamesChat: boolean;
}

/** Genesys Collaborate Chat supports pins, threads, reactions, edit and delete in rooms and 1on1s alike. */
export const CHAT_CAPABILITIES = {
  room: {
    pins: true,
    threads: true,
    reactions: true,
    editDelete: true,
    endAndWrapup: false,
    mentionsOnly: true,
    participants: 'members',
    titleNamesChat: true,
  },
  oneOnOne: {
    pins: true,
    threads: true,
    reactions: true,
    editDelete: true,
    endAndWrapup: false,
    mentionsOnly: false,
    participants: 'pair',
    titleNamesChat: false,
  },
  // A customer conversation (messaging): none of Collaborate's message features; every customer
  // message is addressed to the agent, so "mentions only" does not apply.
  customer: {
    pins: false,
    threads: false,
    reactions: false,
    editDelete: false,
    endAndWrapup: true,
    mentionsOnly: false,
    participants: 'pair',
    titleNamesChat: false,
  },
} as const satisfies Record<ChatKind, ChatCapabilities>;

export function capabilitiesOf(kind: ChatKind): ChatCapabilities {
  return CHAT_CAPABILITIES[kind];
}

/** The capabilities the user's actions on a message need (what the actions menu offers). */
export type ActionCapabilities = Pick<ChatCapabilities, 'pins' | 'threads' | 'reactions' | 'editDelete'>;

/** What a notification kind means to the user. */
export interface NotifyKindTraits {
  /** Addressed to the user in person (a mention or a direct message): the tray shows it apart. */
  forMe: boolean;
  /**
   * Its notification offers an inline reply and a quick reaction. A reaction is to the user's own
   * message: nothing to answer or to react to.
   */
  answerable: boolean;
}

export const NOTIFY_KIND_TRAITS = {
  mention: { forMe: true, answerable: true },
  direct: { forMe: true, answerable: true },
  message: { forMe: false, answerable: true },
  reaction: { forMe: false, answerable: false },
  // An offer is answered with Accept / Decline, not an inline reply; a customer message takes one.
  offer: { forMe: true, answerable: false },
  customer: { forMe: true, answerable: true },
} as const satisfies Record<NotifyKind, NotifyKindTraits>;

/** The end of an exhaustive switch: the type checker refuses to compile it while a case is missing. */
export function unreachable(value: never, what: string): never {
  throw new Error(`Unknown ${what}: ${JSON.stringify(value)}`);
}
