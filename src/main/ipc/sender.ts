// The sender check for every IPC call: only the app's own popup window, showing the app's own
// renderer document, may call the main process. Anything else (a navigated frame, another
// webContents, a devtools extension, a file:// page) is refused.
//
// The document is gct://popup/index.html in builds (the app's scheme, shell/app-protocol.ts) and
// the dev server's page under `electron-vite dev`. It is compared by scheme, host (with port) and
// path, not by `URL.origin`: for a custom scheme Node's URL gives the origin "null", which every
// other custom-scheme URL shares.
import type { IpcInvocation } from '../shell/ports.ts';

export function isTrustedSender(call: IpcInvocation, popupId: number, rendererUrl: string): boolean {
  if (call.senderId !== popupId) return false;
  return sameDocument(call.senderUrl, rendererUrl);
}

function sameDocument(actual: string, expected: string): boolean {
  let a: URL;
  let e: URL;
  try {
    a = new URL(actual);
    e = new URL(expected);
  } catch {
    return false;
  }
  if (a.username || a.password) return false;
  return a.protocol === e.protocol && a.host === e.host && a.pathname === e.pathname;
}
