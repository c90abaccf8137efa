// The inline part of the chat markup parser: code, links, bare URLs, bold, italics, @mentions,
// Genesys mention markup and :shortcodes:, as a token tree (never HTML).
//
// It runs in time linear in the text, whatever the text: every delimiter is found with a
// forward-only search whose answer is remembered (a run of 19 000 `[` asks for the same `]` once),
// a link's address is read once per start, names after `@` come from a trie that reads at most
// MAX_NAME characters, and a URL's trailing `)` are counted once. The only regular expressions left
// match single characters or are anchored and cannot backtrack. A meter counts the characters read,
// so tests can check the bound instead of timing it.
import { stripBidiControls } from '../../../shared/text/bidi.ts';
import { SHORTCODES } from './emoji.ts';
import { misleadingLinkText, safeHref } from './link-check.ts';
import { mentionNames, type MentionNames } from './mention-names.ts';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'mention'; v: string; me: boolean };

export interface MarkupOptions {
  /** Names that count as a mention of the signed-in user (full name, first name). */
  myNames?: string[];
  /** The signed-in user's ids: `[@Name](#/person/<id>)` with one of them is a mention of them. */
  myIds?: string[];
  /** Other names to recognise after `@` (participants), so `@Full Name` is one token. */
  names?: string[];
}

/**
 * What a parse has cost so far: the characters read (for tests of the linear bound), and the
 * elements made. Past MAX_ELEMENTS the rest of a message is plain text: a body of 20 000 `**a**`
 * would otherwise cost the popup a DOM of 20 000 elements, however fast it was parsed.
 */
export interface ParseMeter {
  steps: number;
  elements: number;
}

export const MAX_ELEMENTS = 500;

const MAX_DEPTH = 4;
const SPACE = /\s/;
const WORD = /[\p{L}\p{N}_]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MENTION = /@[\p{L}\p{N}][\p{L}\p{N}._'-]*/uy;
const SHORTCODE_CHAR = /[a-z0-9_+-]/;
/** Genesys mention markup's address: `#/person/<user id>`. */
const PERSON = /^#\/person\/([A-Za-z0-9._@:-]{1,256})$/;
/** What ends a bare URL: whitespace, quotes, angle brackets, a backtick, a bidi control. */
const URL_END = /[\s<>"'`\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const TRAILING_PUNCT = /[.,;:!?]/;

/** The line being parsed, with remembered searches: each delimiter's next position is found once. */
class Line {
  private readonly found = new Map<string, { from: number; at: number }>();
  private readonly addresses = new Map<number, { end: number; at: number }>();
  readonly text: string;
  readonly meter: ParseMeter;
  constructor(text: string, meter: ParseMeter) {
    this.text = text;
    this.meter = meter;
  }

  /** The first index ≥ from where `token` starts, or -1. */
  next(token: string, from: number): number {
    const known = this.found.get(token);
    if (known && from >= known.from && (known.at < 0 || from <= known.at)) return known.at;
    const at = this.text.indexOf(token, from);
    this.meter.steps += (at < 0 ? this.text.length : at) - from + 1;
    this.found.set(token, { from, at });
    return at;
  }

  /**
   * The index of the `)` that closes a link address starting at `from` (no whitespace, balanced
   * single parentheses), or -1. Remembered per start: many `[x](` can share one address.
   */
  addressEnd(from: number, end: number): number {
    const known = this.addresses.get(from);
    if (known && known.at >= 0) return known.at < end ? known.at : -1;
    if (known && known.end >= end) return -1;
    const s = this.text;
    let k = from;
    let result = -1;
    while (k < end) {
      const c = s[k] as string;
      if (c === ')') {
        result = k;
        break;
      }
      if (SPACE.test(c)) break;
      if (c === '(') {
        let q = k + 1;
        while (q < end && s[q] !== '(' && s[q] !== ')' && !SPACE.test(s[q] as string)) q++;
        this.meter.steps += q - k;
        if (s[q] !== ')' || q >= end) break;
        k = q + 1;
        continue;
      }
      k++;
      this.meter.steps++;
    }
    this.addresses.set(from, { end, at: result });
    return result;
  }
}

interface Context {
  line: Line;
  names: MentionNames;
  myIds: ReadonlySet<string>;
}

export function parseInline(
  s: string,
  opts: MarkupOptions = {},
  meter: ParseMeter = { steps: 0, elements: 0 },
): Inline[] {
  const ctx: Context = {
    line: new Line(s, meter),
    names: mentionNames(opts, opts.myNames, opts.names),
    myIds: new Set(opts.myIds ?? []),
  };
  return parseRange(ctx, 0, s.length, 0, true);
}

function parseRange(ctx: Context, start: number, end: number, depth: number, links: boolean): Inline[] {
  const { line, names } = ctx;
  const s = line.text;
  const meter = line.meter;
  const out: Inline[] = [];
  let text = '';
  const push = (node: Inline): void => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
    out.push(node);
    meter.elements++;
  };
  const wordBefore = (i: number): boolean => i > start && WORD.test(s[i - 1] as string);
  const nested = (from: number, to: number, withLinks: boolean): Inline[] =>
    depth < MAX_DEPTH
      ? parseRange(ctx, from, to, depth + 1, withLinks)
      : [{ t: 'text', v: s.slice(from, to) }];

  let i = start;
  while (i < end) {
    meter.steps++;
    if (meter.elements >= MAX_ELEMENTS) {
      text += s.slice(i, end);
      break;
    }
    const ch = s[i] as string;
    if (ch === '`') {
      const close = line.next('`', i + 1);
      if (close > i + 1 && close < end) {
        push({ t: 'code', v: s.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    }
    if (ch === '[' && links) {
      const close = line.next(']', i + 1);
      if (close > i + 1 && close + 1 < end && s[close + 1] === '(') {
        const stop = line.addressEnd(close + 2, end);
        if (stop >= 0) {
          const label = s.slice(i + 1, close);
          const address = s.slice(close + 2, stop);
          const person = PERSON.exec(address);
          const href = person ? null : safeHref(address);
          const name = person ? stripBidiControls(label).trim().replace(/^@/, '') : '';
          if (person && name) {
            push({
              t: 'mention',
              v: `@${name}`,
              me: ctx.myIds.has(person[1] as string) || names.mine.has(name.toLowerCase()),
            });
          } else if (href && misleadingLinkText(label, href)) {
            // The text names another address than the link opens: the text stays text, and the
            // link shows where it really goes.
            text += `${stripBidiControls(label)} (`;
            push({ t: 'link', href, c: [{ t: 'text', v: href }] });
            text += ')';
          } else if (href) {
            push({ t: 'link', href, c: withoutBidi(nested(i + 1, close, false)) });
          } else {
            text += s.slice(i, stop + 1);
          }
          i = stop + 1;
          continue;
        }
      }
    }
    if ((ch === 'h' || ch === 'H') && links && !wordBefore(i)) {
      const length = bareUrlLength(s, i, end, meter);
      if (length > 0) {
        const url = s.slice(i, i + length);
        const href = safeHref(url);
        if (href && url.length > 8) push({ t: 'link', href, c: [{ t: 'text', v: url }] });
        else text += url;
        i += length;
        continue;
      }
    }
    if (ch === '*' && depth < MAX_DEPTH) {
      if (s[i + 1] === '*' && i + 2 < end && !SPACE.test(s[i + 2] as string)) {
        const close = line.next('**', i + 3);
        if (close >= 0 && close + 2 <= end) {
          push({ t: 'strong', c: nested(i + 2, close, links) });
          i = close + 2;
          continue;
        }
      }
      if (i + 1 < end && s[i + 1] !== '*' && !SPACE.test(s[i + 1] as string)) {
        const close = line.next('*', i + 1);
        if (close >= 0 && close < end) {
          push({ t: 'em', c: nested(i + 1, close, links) });
          i = close + 1;
          continue;
        }
      }
    }
    if (ch === '_' && depth < MAX_DEPTH && !wordBefore(i)) {
      if (i + 1 < end && s[i + 1] !== '_' && !SPACE.test(s[i + 1] as string)) {
        const close = line.next('_', i + 1);
        if (close >= 0 && close < end && !(close + 1 < end && letterOrDigitAt(s, close + 1))) {
          push({ t: 'em', c: nested(i + 1, close, links) });
          i = close + 1;
          continue;
        }
      }
    }
    if (ch === '@' && !wordBefore(i)) {
      const known = names.longest(s, i + 1, end, (n) => (meter.steps += n));
      if (known) {
        push({ t: 'mention', v: s.slice(i, i + 1 + known.length), me: known.me });
        i += 1 + known.length;
        continue;
      }
      MENTION.lastIndex = i;
      const m = MENTION.exec(s);
      if (m) {
        meter.steps += m[0].length;
        const v = m[0].slice(0, end - i).replace(/[.'-]+$/, '');
        push({ t: 'mention', v, me: names.mine.has(v.slice(1).toLowerCase()) });
        i += v.length;
        continue;
      }
    }
    if (ch === ':') {
      let k = i + 1;
      while (k < end && k - i <= 40 && SHORTCODE_CHAR.test(s[k] as string)) k++;
      meter.steps += k - i;
      const emoji = s[k] === ':' && k < end && k > i + 1 ? SHORTCODES.get(s.slice(i + 1, k)) : undefined;
      if (emoji) {
        text += emoji;
        i = k + 1;
        continue;
      }
    }
    text += ch;
    i++;
  }
  if (text) out.push({ t: 'text', v: text });
  return out;
}

/**
 * The length of the bare http(s) URL at `i` (0 when there is none), without the sentence's
 * punctuation after it and without `)` it does not open: counted once, not once per `)`.
 */
function bareUrlLength(s: string, i: number, end: number, meter: ParseMeter): number {
  const head = s.slice(i, i + 8).toLowerCase();
  const scheme = head.startsWith('https://') ? 8 : head.startsWith('http://') ? 7 : 0;
  if (!scheme) return 0;
  let k = i + scheme;
  let opens = 0;
  let closes = 0;
  while (k < end && !URL_END.test(s[k] as string)) {
    if (s[k] === '(') opens++;
    else if (s[k] === ')') closes++;
    k++;
  }
  meter.steps += k - i;
  if (k === i + scheme) return 0;
  while (k > i + scheme && TRAILING_PUNCT.test(s[k - 1] as string)) k--;
  while (k > i + scheme && s[k - 1] === ')' && opens < closes) {
    k--;
    closes--;
  }
  return k - i;
}

function letterOrDigitAt(s: string, k: number): boolean {
  const cp = s.codePointAt(k);
  return cp !== undefined && LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
}

/** A link's text without bidi controls: what it shows must read as what it is. */
function withoutBidi(nodes: Inline[]): Inline[] {
  return nodes.map((n) =>
    n.t === 'text' || n.t === 'code' || n.t === 'mention'
      ? { ...n, v: stripBidiControls(n.v) }
      : n.t === 'strong' || n.t === 'em' || n.t === 'link'
        ? { ...n, c: withoutBidi(n.c) }
        : n,
  );
}
