// Parses Genesys chat markup into a small token tree (never HTML): paragraphs, lists, quotes,
// code, bold/italic, safe http(s) links, @mentions and :shortcode: emoji.
import { SHORTCODES } from './emoji.ts';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'mention'; v: string; me: boolean };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] };

export interface MarkupOptions {
  /** Names that count as a mention of the signed-in user (full name, first name). */
  myNames?: string[];
  /** Other names to recognise after `@` (participants), so `@Full Name` is one token. */
  names?: string[];
}

/** The URL when it is an absolute http(s) URL, else null. Everything else is shown as text. */
export function safeHref(raw: string): string | null {
  const s = raw.trim();
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href;
  } catch {
    return null;
  }
}

const FENCE = /^\s*```/;
const QUOTE = /^\s*>\s?(.*)$/;
const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;

export function parseMarkup(source: string, opts: MarkupOptions = {}): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return parseBlocks(lines, opts, 0);
}

function parseBlocks(lines: string[], opts: MarkupOptions, depth: number): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) blocks.push({ t: 'p', c: parseLines(para, opts) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) body.push(lines[i++] ?? '');
      blocks.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    if (depth < 3 && QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        inner.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      i--;
      blocks.push({ t: 'quote', c: parseBlocks(inner, opts, depth + 1) });
      continue;
    }
    if (BULLET.test(line)) {
      flush();
      const items: Inline[][] = [];
      while (i < lines.length && BULLET.test(lines[i] ?? '')) {
        items.push(parseInline(BULLET.exec(lines[i++] ?? '')?.[1] ?? '', opts));
      }
      i--;
      blocks.push({ t: 'ul', items });
      continue;
    }
    if (NUMBERED.test(line)) {
      flush();
      const items: Inline[][] = [];
      const start = Number(NUMBERED.exec(line)?.[1] ?? 1);
      while (i < lines.length && NUMBERED.test(lines[i] ?? '')) {
        items.push(parseInline(NUMBERED.exec(lines[i++] ?? '')?.[2] ?? '', opts));
      }
      i--;
      blocks.push({ t: 'ol', start, items });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return blocks;
}

function parseLines(lines: string[], opts: MarkupOptions): Inline[] {
  const out: Inline[] = [];
  lines.forEach((l, n) => {
    if (n > 0) out.push({ t: 'br' });
    out.push(...parseInline(l, opts));
  });
  return out;
}

const CODE = /`([^`\n]+)`/y;
const LINK = /\[([^\]\n]+)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/y;
const URL_RE = /https?:\/\/[^\s<>"'`]+/iy;
const BOLD = /\*\*(?=\S)([\s\S]+?)\*\*/y;
const ITALIC_STAR = /\*(?=[^\s*])([^*\n]+?)\*/y;
const ITALIC_UNDER = /_(?=[^\s_])([^_\n]+?)_(?![\p{L}\p{N}])/uy;
const MENTION = /@[\p{L}\p{N}][\p{L}\p{N}._'-]*/uy;
const SHORTCODE = /:([a-z0-9_+-]{1,40}):/y;

function at(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(s);
}

function trimUrl(url: string): string {
  // Sentence punctuation after a URL belongs to the sentence; an unmatched ")" too.
  let u = url.replace(/[.,;:!?]+$/, '');
  while (u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
  return u;
}

export function parseInline(s: string, opts: MarkupOptions = {}, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (node: Inline): void => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
    out.push(node);
  };
  const wordBefore = (i: number): boolean => i > 0 && /[\p{L}\p{N}_]/u.test(s[i - 1] ?? '');
  const names = [...(opts.myNames ?? []), ...(opts.names ?? [])]
    .filter((n) => n.trim().length > 0)
    .sort((a, b) => b.length - a.length);
  const mine = new Set((opts.myNames ?? []).map((n) => n.toLowerCase()));

  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    let m: RegExpExecArray | null;
    if (ch === '`' && (m = at(CODE, s, i))) {
      push({ t: 'code', v: m[1] ?? '' });
      i += m[0].length;
      continue;
    }
    if (ch === '[' && (m = at(LINK, s, i))) {
      const href = safeHref(m[2] ?? '');
      if (href) {
        push({
          t: 'link',
          href,
          c: depth < 4 ? parseInline(m[1] ?? '', opts, depth + 1) : [{ t: 'text', v: m[1] ?? '' }],
        });
      } else {
        text += m[0];
      }
      i += m[0].length;
      continue;
    }
    if ((ch === 'h' || ch === 'H') && !wordBefore(i) && (m = at(URL_RE, s, i))) {
      const url = trimUrl(m[0]);
      const href = safeHref(url);
      if (href && url.length > 8) push({ t: 'link', href, c: [{ t: 'text', v: url }] });
      else text += url;
      i += url.length;
      continue;
    }
    if (ch === '*' && depth < 4 && (m = at(BOLD, s, i))) {
      push({ t: 'strong', c: parseInline(m[1] ?? '', opts, depth + 1) });
      i += m[0].length;
      continue;
    }
    if (ch === '*' && depth < 4 && (m = at(ITALIC_STAR, s, i))) {
      push({ t: 'em', c: parseInline(m[1] ?? '', opts, depth + 1) });
      i += m[0].length;
      continue;
    }
    if (ch === '_' && depth < 4 && !wordBefore(i) && (m = at(ITALIC_UNDER, s, i))) {
      push({ t: 'em', c: parseInline(m[1] ?? '', opts, depth + 1) });
      i += m[0].length;
      continue;
    }
    if (ch === '@' && !wordBefore(i)) {
      const rest = s.slice(i + 1);
      const known = names.find(
        (n) => rest.toLowerCase().startsWith(n.toLowerCase()) && !/[\p{L}\p{N}]/u.test(rest.charAt(n.length)),
      );
      if (known) {
        const v = s.slice(i, i + 1 + known.length);
        push({ t: 'mention', v, me: mine.has(known.toLowerCase()) });
        i += v.length;
        continue;
      }
      if ((m = at(MENTION, s, i))) {
        const v = m[0].replace(/[.'-]+$/, '');
        push({ t: 'mention', v, me: mine.has(v.slice(1).toLowerCase()) });
        i += v.length;
        continue;
      }
    }
    if (ch === ':' && (m = at(SHORTCODE, s, i))) {
      const emoji = SHORTCODES[m[1] ?? ''];
      if (emoji) {
        text += emoji;
        i += m[0].length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  if (text) out.push({ t: 'text', v: text });
  return out;
}

/** The plain text of a message, for previews: markup characters dropped, one line. */
export function plainText(source: string): string {
  const flat = (nodes: Inline[]): string =>
    nodes
      .map((n) =>
        n.t === 'text' || n.t === 'code' || n.t === 'mention' ? n.v : n.t === 'br' ? ' ' : flat(n.c),
      )
      .join('');
  const block = (b: Block): string =>
    b.t === 'p'
      ? flat(b.c)
      : b.t === 'pre'
        ? b.v
        : b.t === 'quote'
          ? b.c.map(block).join(' ')
          : b.items.map(flat).join(' ');
  return parseMarkup(source).map(block).join(' ').replace(/\s+/g, ' ').trim();
}
