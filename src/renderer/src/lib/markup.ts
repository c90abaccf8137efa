// Parses Genesys chat markup into a small token tree (never HTML): paragraphs, lists, quotes,
// code, bold/italic, safe http(s) links, @mentions, mention markup and :shortcode: emoji. The
// inline part (and why it runs in linear time) is in markup-inline.ts.
import {
  MAX_ELEMENTS,
  parseInline,
  type Inline,
  type MarkupOptions,
  type ParseMeter,
} from './markup-inline.ts';

export { MAX_ELEMENTS, type Inline, type MarkupOptions, type ParseMeter } from './markup-inline.ts';
export { safeHref } from './link-check.ts';

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'pre'; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] };

const FENCE = /^\s*```/;
const QUOTE = /^\s*>\s?(.*)$/;
const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;

export function parseMarkup(
  source: string,
  opts: MarkupOptions = {},
  meter: ParseMeter = { steps: 0, elements: 0 },
): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return parseBlocks(lines, opts, meter, 0);
}

function parseBlocks(lines: string[], opts: MarkupOptions, meter: ParseMeter, depth: number): Block[] {
  // Each line meets a fixed set of anchored expressions that cannot backtrack: linear in its length.
  for (const line of lines) meter.steps += line.length + 1;
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) add({ t: 'p', c: parseLines(para, opts, meter) });
    para = [];
  };
  const room = (items: unknown[]): boolean => meter.elements + items.length < MAX_ELEMENTS;
  const add = (block: Block): void => {
    blocks.push(block);
    meter.elements += block.t === 'ul' || block.t === 'ol' ? 1 + block.items.length : 1;
  };
  for (let i = 0; i < lines.length; i++) {
    if (meter.elements >= MAX_ELEMENTS) {
      // Past the budget, the rest is one paragraph of plain text.
      flush();
      blocks.push({ t: 'p', c: [{ t: 'text', v: lines.slice(i).join(' ') }] });
      break;
    }
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) body.push(lines[i++] ?? '');
      add({ t: 'pre', v: body.join('\n') });
      continue;
    }
    if (depth < 3 && QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        inner.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      i--;
      add({ t: 'quote', c: parseBlocks(inner, opts, meter, depth + 1) });
      continue;
    }
    if (BULLET.test(line)) {
      flush();
      const items: Inline[][] = [];
      while (i < lines.length && room(items) && BULLET.test(lines[i] ?? '')) {
        items.push(parseInline(BULLET.exec(lines[i++] ?? '')?.[1] ?? '', opts, meter));
      }
      i--;
      add({ t: 'ul', items });
      continue;
    }
    if (NUMBERED.test(line)) {
      flush();
      const items: Inline[][] = [];
      const start = Number(NUMBERED.exec(line)?.[1] ?? 1);
      while (i < lines.length && room(items) && NUMBERED.test(lines[i] ?? '')) {
        items.push(parseInline(NUMBERED.exec(lines[i++] ?? '')?.[2] ?? '', opts, meter));
      }
      i--;
      add({ t: 'ol', start, items });
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

function parseLines(lines: string[], opts: MarkupOptions, meter: ParseMeter): Inline[] {
  const out: Inline[] = [];
  for (let n = 0; n < lines.length; n++) {
    if (meter.elements >= MAX_ELEMENTS) {
      out.push({ t: 'text', v: (n > 0 ? ' ' : '') + lines.slice(n).join(' ') });
      break;
    }
    if (n > 0) {
      out.push({ t: 'br' });
      meter.elements++;
    }
    for (const node of parseInline(lines[n] ?? '', opts, meter)) out.push(node);
  }
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
