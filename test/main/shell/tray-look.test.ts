// The tray's icon and tooltip for every state the engine can be in.
import { describe, expect, it } from 'vitest';
import { initialSnapshot, type EngineSnapshot } from '../../../src/main/engine/engine-state.ts';
import { trayLook } from '../../../src/main/shell/tray-look.ts';

const state = (over: Partial<EngineSnapshot>): EngineSnapshot => ({
  ...initialSnapshot(false, 'mypurecloud.ie'),
  ...over,
});

describe('tray look', () => {
  it.each([
    [{ connection: 'signed-out' }, false, 'signin', /not signed in/],
    [{ connection: 'needs-sign-in', unread: 3 }, false, 'signin', /sign in again/],
    [{ connection: 'offline', unread: 2 }, false, 'offline', /offline; 2 unread/],
    [{ connection: 'connecting' }, false, 'offline', /connecting/],
    [{ connection: 'push', unread: 4, unreadForMe: true }, true, 'dnd', /do not disturb; 4 unread, for you/],
    [{ connection: 'push', unread: 4, unreadForMe: true }, false, 'mention', /4 unread, for you/],
    [{ connection: 'polling', unread: 1 }, false, 'unread', /1 unread \(checking every few seconds\)/],
    [{ connection: 'push' }, false, 'idle', /nothing new/],
    [{ connection: 'push', demo: true }, false, 'demo', /\(Demo\): nothing new/],
    [
      { connection: 'push', unread: 2, interactions: { available: true, waiting: 1, offered: 1 } },
      false,
      'mention',
      /1 customer waiting; 2 unread/,
    ],
    [
      { connection: 'push', interactions: { available: true, waiting: 0, offered: 0 } },
      false,
      'idle',
      /nothing new/,
    ],
  ] as const)('%o (holding: %s) → %s', (over, holding, icon, tooltip) => {
    const look = trayLook(state(over as Partial<EngineSnapshot>), { holding });
    expect(look.icon).toBe(icon);
    expect(look.tooltip).toMatch(tooltip);
  });

  it('a demo that needs attention shows the attention, not the demo mark', () => {
    expect(
      trayLook(state({ demo: true, connection: 'push', unread: 1, unreadForMe: true }), { holding: false })
        .icon,
    ).toBe('mention');
  });
});
