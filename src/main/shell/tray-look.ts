// What the tray shows for the engine's state: one icon and a tooltip. Pure, so every state is
// unit tested; the shell only draws it.
import type { EngineSnapshot } from '../engine/engine-state.ts';
import type { TrayIconName } from './ports.ts';

export interface TrayLook {
  icon: TrayIconName;
  tooltip: string;
}

const APP = 'Genesys Chat Tray';

/**
 * Precedence: what needs the user to act (sign in) first, then what stops messages arriving
 * (offline), then what is holding notifications (do not disturb / quiet hours), then unread
 * mentions, other unread items, and idle. Demo mode marks the idle icon only, so real states show.
 */
export function trayLook(s: EngineSnapshot, opts: { holding: boolean }): TrayLook {
  const name = s.demo ? `${APP} (Demo)` : APP;
  const waiting = s.interactions?.waiting ?? 0;
  const customers = waiting > 0 ? `${waiting} customer${waiting === 1 ? '' : 's'} waiting` : '';
  const chats = s.unread > 0 ? `${s.unread} unread${s.unreadForMe ? ', for you' : ''}` : '';
  const unread = [customers, chats].filter(Boolean).join('; ') || 'nothing new';
  switch (s.connection) {
    case 'signed-out':
      return { icon: 'signin', tooltip: `${name}: not signed in` };
    case 'needs-sign-in':
      return { icon: 'signin', tooltip: `${name}: sign in again` };
    case 'offline':
      return { icon: 'offline', tooltip: `${name}: offline; ${unread}` };
    case 'signing-in':
    case 'connecting':
      return { icon: 'offline', tooltip: `${name}: connecting…` };
    default:
      break;
  }
  if (opts.holding) return { icon: 'dnd', tooltip: `${name}: do not disturb; ${unread}` };
  const live = s.connection === 'polling' ? ' (checking every few seconds)' : '';
  // A customer waiting needs the agent like a mention does.
  if (s.unreadForMe || waiting > 0) return { icon: 'mention', tooltip: `${name}: ${unread}${live}` };
  if (s.unread > 0) return { icon: 'unread', tooltip: `${name}: ${unread}${live}` };
  return { icon: s.demo ? 'demo' : 'idle', tooltip: `${name}: ${unread}${live}` };
}
