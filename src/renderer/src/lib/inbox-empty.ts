// What the empty inbox says: whether it is caught up at all (never "all caught up" while offline or
// still catching up), and what will show up given the user's actual notification settings.
import type { EngineStateView, ServerSettingsView } from '../../../shared/ipc/contract.ts';

export interface EmptyInbox {
  /** ✓ caught up, … waiting or catching up, 🔕 muted. */
  icon: '✓' | '…' | '🔕';
  title: string;
  detail: string;
}

export interface EmptyInboxInput {
  connection: EngineStateView['connection'];
  /** When the last catch-up over REST completed; null until the first one. */
  lastSyncAt: number | null;
  /** The user's Genesys chat notification settings, when loaded. */
  settings: ServerSettingsView | null;
  keywords: number;
  /** Chats muted in this app right now. */
  mutedChats: number;
}

export function emptyInbox(i: EmptyInboxInput): EmptyInbox {
  return { ...heading(i), detail: detail(i) };
}

function heading(i: EmptyInboxInput): Pick<EmptyInbox, 'icon' | 'title'> {
  if (i.connection === 'offline') return { icon: '…', title: 'Waiting for the connection' };
  if (i.connection === 'connecting' || i.lastSyncAt === null) return { icon: '…', title: 'Catching up…' };
  if (i.settings?.muted) return { icon: '🔕', title: 'Chat notifications are muted' };
  return { icon: '✓', title: "You're all caught up" };
}

function detail(i: EmptyInboxInput): string {
  const s = i.settings;
  if (s?.muted) {
    return 'Your Genesys Cloud chat notifications are muted, so nothing will show up here. Turn "Mute all chats" off in Settings to get them again.';
  }
  const what: string[] = [];
  if (s && !s.mentionsOnly) what.push('New messages in your chats', 'mentions', 'direct messages');
  else what.push('Mentions', 'direct messages');
  if (s?.mentionsOnly && i.keywords > 0) what.push('messages with your keywords');
  if (s?.notifyOnReactions) what.push('reactions to your messages');
  const list = what.length === 1 ? what[0]! : `${what.slice(0, -1).join(', ')} and ${what.at(-1)!}`;
  let text = `${list} will show up here.`;
  if (s && !s.notifyOnReactions) text += ' Reactions to your messages are off.';
  if (i.mutedChats > 0) {
    text += ` ${i.mutedChats === 1 ? 'One chat is' : `${i.mutedChats} chats are`} muted in this app.`;
  }
  if (i.connection === 'offline')
    text = `When you are back online: ${text[0]!.toLowerCase()}${text.slice(1)}`;
  return text;
}
