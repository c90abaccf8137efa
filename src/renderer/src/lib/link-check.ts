// Which links from a message may be anchors, and whether a link's text names another address than
// the one it opens.
import { hasBidiControls } from '../../../shared/text/bidi.ts';

/** A C0 control character or DEL. */
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');

/**
 * The URL when it is an absolute http(s) URL with a host, and without a user name, a password, an
 * `@` before its host (`https://login.example.com@evil.example` opens evil.example), control or
 * bidirectional control characters; else null. Everything else is shown as text.
 */
export function safeHref(raw: string): string | null {
  const s = raw.trim();
  if (!/^https?:\/\//i.test(s) || hasControl(s) || hasBidiControls(s)) return null;
  if (/^https?:\/\/[^/?#]*@/i.test(s)) return null;
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.username || u.password || !u.hostname) return null;
    return u.href;
  } catch {
    return null;
  }
}

const HOST_END = /[\s/?#)\]>"'\\]/;
const DOMAIN = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/**
 * The host a link's text reads as, when it reads as a web address: it holds `scheme://host`, or
 * it is one word shaped like a domain (`login.example.com/path`). Null for any other text.
 */
export function addressInText(text: string): string | null {
  const t = text.trim();
  const scheme = t.indexOf('://');
  let rest: string;
  if (scheme >= 0) rest = t.slice(scheme + 3);
  else if (!/\s/.test(t)) rest = t;
  else return null;
  let end = 0;
  while (end < rest.length && !HOST_END.test(rest[end] as string)) end++;
  let host = rest.slice(0, end);
  host = host
    .slice(host.lastIndexOf('@') + 1)
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  if (!host) return null;
  if (scheme < 0) {
    const last = host.slice(host.lastIndexOf('.') + 1);
    if (!DOMAIN.test(host) || last.length < 2 || !/\p{L}/u.test(last)) return null;
  }
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/** Whether a link whose text is `text` opens somewhere else than the address its text shows. */
export function misleadingLinkText(text: string, href: string): boolean {
  const shown = addressInText(text);
  if (shown === null) return false;
  const bare = (h: string): string => h.toLowerCase().replace(/^www\./, '');
  try {
    return bare(shown) !== bare(new URL(href).hostname);
  } catch {
    return true;
  }
}
