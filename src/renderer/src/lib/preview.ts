// A message as one line for a preview (the inbox, the chat list, the pinned list): its text with
// the mentions and links marked, so they can look as they do in the conversation, but nothing
// clickable (a preview sits inside the button that opens the chat) and no bidi controls.
import { stripBidiControls } from '../../../shared/text/bidi.ts';
import { parseMarkup, type Block, type Inline, type MarkupOptions } from './markup.ts';

export interface Segment {
  t: 'text' | 'mention' | 'link' | 'code';
  v: string;
  /** A mention of the signed-in user. */
  me?: boolean;
}

export function previewSegments(source: string, opts: MarkupOptions = {}): Segment[] {
  const out: Segment[] = [];
  const add = (t: Segment['t'], v: string, me = false): void => {
    const last = out.at(-1);
    if (t === 'text' && last?.t === 'text') last.v += v;
    else out.push(me ? { t, v, me } : { t, v });
  };
  const inline = (nodes: Inline[], inLink: boolean): void => {
    for (const n of nodes) {
      if (n.t === 'text') add(inLink ? 'link' : 'text', n.v);
      else if (n.t === 'br') add('text', ' ');
      else if (n.t === 'code') add('code', n.v);
      else if (n.t === 'mention') add('mention', n.v, n.me);
      else if (n.t === 'link') inline(n.c, true);
      else inline(n.c, inLink);
    }
  };
  const block = (b: Block): void => {
    if (b.t === 'p') inline(b.c, false);
    else if (b.t === 'pre') add('code', b.v);
    else if (b.t === 'quote') b.c.forEach((c) => (block(c), add('text', ' ')));
    else b.items.forEach((item) => (inline(item, false), add('text', ' ')));
    add('text', ' ');
  };
  parseMarkup(source, opts).forEach(block);
  // One line: runs of white space are one space, none at either end, none doubled across segments.
  const segments: Segment[] = [];
  let spaceBefore = true;
  for (const s of out) {
    let v = stripBidiControls(s.v).replace(/\s+/g, ' ');
    if (spaceBefore && v.startsWith(' ')) v = v.slice(1);
    if (!v) continue;
    spaceBefore = v.endsWith(' ');
    segments.push({ ...s, v });
  }
  const last = segments.at(-1);
  if (last && last.v.endsWith(' ')) last.v = last.v.slice(0, -1);
  if (last && !last.v) segments.pop();
  return segments;
}

/** The preview as plain text. */
export function previewText(source: string, opts: MarkupOptions = {}): string {
  return previewSegments(source, opts)
    .map((s) => s.v)
    .join('');
}
