// The sender check for every IPC call: only the app's own popup window, showing the app's own
// renderer document, may call the main process. Anything else (a navigated frame, another
// webContents, a devtools extension) is refused.
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
  return a.protocol === e.protocol && a.host === e.host && a.pathname === e.pathname;
}
