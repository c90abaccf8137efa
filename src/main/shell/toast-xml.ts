// Windows toasts as XML (Electron's `new Notification({ toastXml })`), and the way back: the
// arguments string Windows returns when the user clicks the toast, presses a button or sends an
// inline reply, also from the Action Center after a restart (`Notification.handleActivation`).
// Pure: the Electron adapter shows the XML and hands the activation details to
// `activationFromElectron`.
//
// The arguments are the app's own compact, versioned encoding, `v=1&do=<verb>&chat=..&msg=..
// [&thread=..]` (form-urlencoded, in that order). They come back from the OS, so they are parsed
// strictly: anything but exactly what `toastArguments` writes is refused. The keys avoid the ones
// Electron reads from activation arguments for its own toasts (`type`, `action`, `tag`).
import { z } from 'zod';
import type {
  DesktopNotification,
  NotificationActionId,
  NotificationActivation,
  NotificationTarget,
} from './ports.ts';

/** What an activation asks for: open the conversation, send the typed reply, or a button. */
export type ToastVerb = 'open' | 'reply' | NotificationActionId;

export interface ToastArguments extends NotificationTarget {
  verb: ToastVerb;
}

/** The reply input's id: Windows reports the typed text under it (`userInputs.reply`). */
export const REPLY_INPUT_ID = 'reply';

const VERSION = '1';
const VERBS = [
  'open',
  'reply',
  'mark-read',
  'react',
  'accept',
  'decline',
] as const satisfies readonly ToastVerb[];
/** Longest arguments string accepted back (ours stay far below it: ids are bounded). */
const MAX_ARGUMENTS = 2048;
/** Toasts show about 2 lines of title and 4 of body; more is cut by Windows anyway. */
const MAX_TITLE = 120;
const MAX_BODY = 600;

// Ids: Genesys ids and jids. No whitespace, control, format or unassigned characters.
const id = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\s\p{C}]+$/u);

const argumentsSchema = z.strictObject({
  v: z.literal(VERSION),
  do: z.enum(VERBS),
  chat: id(512),
  msg: id(256),
  thread: id(256).optional(),
  /** A customer conversation (see NotificationTarget.interaction). */
  ix: z.literal('1').optional(),
});

const targetSchema = z.object({
  chatId: id(512),
  messageId: id(256),
  threadId: id(256).optional(),
  interaction: z.boolean().optional(),
});

/** The arguments string of one activation of a toast about `target`. */
export function toastArguments(verb: ToastVerb, target: NotificationTarget): string {
  const params = new URLSearchParams([
    ['v', VERSION],
    ['do', verb],
    ['chat', target.chatId],
    ['msg', target.messageId],
  ]);
  if (target.threadId !== undefined) params.append('thread', target.threadId);
  if (target.interaction) params.append('ix', '1');
  return params.toString();
}

/** Reads an arguments string back; null for anything `toastArguments` would not have written. */
export function parseToastArguments(s: unknown): ToastArguments | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_ARGUMENTS) return null;
  // Form-urlencoding leaves only these characters; anything else was not written by us.
  if (!/^[A-Za-z0-9%*._+=&-]+$/.test(s)) return null;
  const entries = new Map<string, string>();
  for (const part of s.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.indexOf('=', eq + 1) !== -1) return null;
    const [[key, value] = []] = new URLSearchParams(part);
    if (key === undefined || value === undefined || entries.has(key)) return null;
    entries.set(key, value);
  }
  const parsed = argumentsSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) return null;
  const { do: verb, chat, msg, thread, ix } = parsed.data;
  const result: ToastArguments = {
    verb,
    chatId: chat,
    messageId: msg,
    ...(thread !== undefined ? { threadId: thread } : {}),
    ...(ix ? { interaction: true } : {}),
  };
  // Canonical form only: no reordered keys, odd percent-escapes or other spellings of the same.
  return toastArguments(verb, result) === s ? result : null;
}

/** The details Electron passes to `Notification.handleActivation` (its `ActivationArguments`). */
export interface ToastActivationDetails {
  type: string;
  arguments: string;
  reply?: string;
  actionIndex?: number;
  userInputs?: Record<string, string>;
}

/**
 * What the user did, from Electron's activation details; null when the arguments are not ours
 * (or are malformed). The arguments decide: each button carries its own verb, so neither
 * `actionIndex` nor `type` (which Electron can only guess for custom toast XML) is needed. A Send
 * with nothing typed opens the conversation instead; the length of a reply is the caller's to
 * limit (as for one typed in the popup).
 */
export function activationFromElectron(details: ToastActivationDetails): NotificationActivation | null {
  if (typeof details !== 'object' || details === null) return null;
  if (!['', 'click', 'action', 'reply'].includes(details.type)) return null;
  const args = parseToastArguments(details.arguments);
  if (!args) return null;
  const { verb, ...target } = args;
  switch (verb) {
    case 'open':
      return { kind: 'click', ...target };
    case 'reply': {
      const typed = details.reply ?? details.userInputs?.[REPLY_INPUT_ID];
      if (typeof typed !== 'string') return null;
      return typed.trim() ? { kind: 'reply', text: typed, ...target } : { kind: 'click', ...target };
    }
    case 'mark-read':
    case 'react':
    case 'accept':
    case 'decline':
      return { kind: 'action', id: verb, ...target };
  }
}

/**
 * The toast for a notification: title and body, silent or not, an inline reply with a Send button
 * when replyable, and one button per action. Every activation carries `target` in its arguments,
 * so it can be acted on after the notification object (or the whole app) is gone. A target whose
 * ids could not be read back gives a toast without reply, buttons or launch arguments.
 */
export function renderToastXml(n: DesktopNotification, target: NotificationTarget = n.target): string {
  const valid = targetSchema.safeParse(target).success;
  const open = valid ? ` launch="${escapeXml(toastArguments('open', target))}"` : '';
  const parts = [
    // A reminder stays on screen until the user acts (an offer); it needs a button, which offers have.
    `<toast${open} activationType="foreground"${n.persistent && valid && n.actions.length ? ' scenario="reminder"' : ''}>`,
    '<visual><binding template="ToastGeneric">',
    `<text>${escapeXml(toastText(n.title, MAX_TITLE, false))}</text>`,
    `<text>${escapeXml(toastText(n.body, MAX_BODY, true))}</text>`,
    '</binding></visual>',
  ];
  const actions: string[] = [];
  if (valid && n.replyable) {
    actions.push(
      `<input id="${REPLY_INPUT_ID}" type="text" placeHolderContent="Reply…"/>`,
      action('Send', toastArguments('reply', target), ` hint-inputId="${REPLY_INPUT_ID}"`),
    );
  }
  if (valid) for (const a of n.actions) actions.push(action(a.label, toastArguments(a.id, target)));
  if (actions.length) parts.push('<actions>', ...actions, '</actions>');
  if (n.silent) parts.push('<audio silent="true"/>');
  parts.push('</toast>');
  return parts.join('');
}

function action(label: string, args: string, extra = ''): string {
  const content = escapeXml(toastText(label, 40, false));
  return `<action content="${content}" arguments="${escapeXml(args)}" activationType="foreground"${extra}/>`;
}

/** Escapes text for XML element content and (double- or single-quoted) attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c as keyof typeof ENTITIES]);
}

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as const;

/**
 * Untrusted text made fit for a toast: characters XML cannot carry (controls, lone surrogates,
 * U+FFFE/U+FFFF) removed, whitespace tidied (line breaks kept in the body), and cut to `max`
 * user-perceived characters with an ellipsis, never inside an emoji or a combined character.
 */
export function toastText(text: string, max: number, multiline: boolean): string {
  let t = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g, '') // eslint-disable-line no-control-regex
    .replace(/[\uD800-\uDFFF]/gu, ''); // with the u flag, only unpaired surrogates match
  t = multiline
    ? t
        .replace(/[^\S\n]+/g, ' ')
        .replace(/ ?\n ?/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim()
    : t.replace(/\s+/g, ' ').trim();
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t)];
  if (graphemes.length <= max) return t;
  return `${graphemes
    .slice(0, max - 1)
    .map((g) => g.segment)
    .join('')
    .trimEnd()}…`;
}
