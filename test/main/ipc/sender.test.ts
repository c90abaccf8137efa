// The sender check: only the popup window showing the app's own document, now served from the
// app's scheme (gct://popup/index.html), may call the main process.
import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../src/main/ipc/sender.ts';
import { POPUP_URL } from '../../../src/main/shell/app-protocol.ts';

const POPUP = 7;
const trusted = (senderUrl: string, senderId = POPUP, rendererUrl = POPUP_URL): boolean =>
  isTrustedSender({ senderId, senderUrl }, POPUP, rendererUrl);

describe('the IPC sender check', () => {
  it("trusts the popup showing the app's document from the app's scheme", () => {
    expect(trusted('gct://popup/index.html')).toBe(true);
    expect(trusted('gct://popup/index.html?view=inbox#top')).toBe(true);
  });

  it('refuses another window, even showing the same document', () => {
    expect(trusted('gct://popup/index.html', POPUP + 1)).toBe(false);
  });

  it('refuses another document, host or scheme in the popup', () => {
    for (const url of [
      'file:///app/out/renderer/index.html',
      'file:///index.html',
      'gct://popup/other.html',
      'gct://popup/',
      'gct://popup.evil.example/index.html',
      'gct://elsewhere/index.html',
      'gct://popup:1/index.html',
      'gct://user@popup/index.html',
      'https://popup/index.html',
      'https://evil.example/index.html',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(trusted(url), url).toBe(false);
    }
  });

  it('under electron-vite dev, trusts the dev server page and nothing else', () => {
    const dev = 'http://localhost:5173/';
    expect(trusted('http://localhost:5173/', POPUP, dev)).toBe(true);
    expect(trusted('http://localhost:5174/', POPUP, dev)).toBe(false);
    expect(trusted('gct://popup/index.html', POPUP, dev)).toBe(false);
  });
});
