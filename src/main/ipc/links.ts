// Links from messages open in the user's browser only when they are plain http(s) URLs: no
// javascript:, file:, custom schemes, credentials, an @ before the host, or control characters.
import { hasBidiControls } from '../../shared/text/bidi.ts';

export function checkExternalUrl(raw: string): string {
  if (
    [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || /\s/.test(c)) ||
    hasBidiControls(raw)
  ) {
    throw new Error('That link contains characters a link cannot have.');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('That is not a web address.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Only web links (http and https) can be opened, not ${url.protocol.replace(/:$/, '')}.`);
  }
  // `https://login.example.com@evil.example/` opens evil.example: any @ before the host is refused.
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(raw)) {
    throw new Error('Links with a user name or password are not opened.');
  }
  if (!url.hostname) throw new Error('That link has no host.');
  return url.href;
}
