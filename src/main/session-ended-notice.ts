// One native notification when an account's session ends (not one per failed request, nor again
// when signing in rebuilds the engine and it finds the old tokens dead), taken back once signed in
// again or in the demo org. The demo org signs in again by itself and says nothing.
import type { AppController } from './controller.ts';
import type { EngineSnapshot } from './engine/engine-state.ts';
import { SESSION_ENDED_TAG, sessionEndedNotification } from './notify/desktop.ts';
import type { ShellPort } from './shell/ports.ts';
import type { AppStore } from './store/store.ts';

/** Returns what to call with every new engine snapshot. */
export function sessionEndedNotice(opts: {
  shell: ShellPort;
  store: AppStore;
  controller: AppController;
  showPopup(): void;
}): (s: EngineSnapshot) => void {
  const { shell, store, controller, showPopup } = opts;
  let shown = false;
  return (s) => {
    if (s.connection === 'needs-sign-in' && controller.mode === 'account') {
      if (shown) return;
      shown = true;
      shell.notify(sessionEndedNotification(store.get('prefs')), {
        click: showPopup,
        reply: showPopup,
        action: showPopup,
      });
      return;
    }
    const signedInAgain = s.account !== null && s.connection !== 'signing-in';
    if (shown && (signedInAgain || controller.mode === 'demo')) {
      shown = false;
      shell.withdrawNotifications([SESSION_ENDED_TAG]);
    }
  };
}
