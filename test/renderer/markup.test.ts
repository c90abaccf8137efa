// The markup parser and MessageText: formatting, links, mentions, and an XSS corpus rendered in a DOM.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import MessageText from '../../src/renderer/src/components/MessageText.svelte';
import { parseMarkup, plainText, safeHref } from '../../src/renderer/src/lib/markup.ts';
import { XSS_CORPUS as XSS } from '../support/xss-corpus.ts';

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
});

function render(
  body: string,
  onOpenLink = (_: string): void => {},
  myNames: string[] = ['Alex Morgan', 'Alex'],
): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  cmp = mount(MessageText, { target, props: { body, options: { myNames }, onOpenLink } });
  flushSync();
  return target;
}

const ALLOWED = new Set([
  'DIV',
  'P',
  'BR',
  'STRONG',
  'EM',
  'CODE',
  'PRE',
  'A',
  'SPAN',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
]);
const ALLOWED_ATTRS = new Set(['class', 'href', 'rel', 'title', 'start']);

function assertSafe(root: HTMLElement): void {
  for (const el of root.querySelectorAll('*')) {
    expect(ALLOWED.has(el.tagName), `unexpected <${el.tagName}>`).toBe(true);
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `event attribute ${attr}`).toBe(false);
      expect(ALLOWED_ATTRS.has(attr), `unexpected attribute ${attr}`).toBe(true);
    }
    const href = el.getAttribute('href');
    if (href !== null) expect(href).toMatch(/^https?:/);
  }
}

describe('parseMarkup', () => {
  it('parses bold, italics, code, and line breaks', () => {
    const root = render('**bold** and *it* and _also_ and `x < y`\nnext line');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect([...root.querySelectorAll('em')].map((e) => e.textContent)).toEqual(['it', 'also']);
    expect(root.querySelector('code')?.textContent).toBe('x < y');
    expect(root.querySelectorAll('br')).toHaveLength(1);
  });

  it('parses fenced code, lists and quotes', () => {
    const root = render('```\nconst a = **1**;\n```\n- one\n* two\n1. first\n2. second\n> quoted *text*');
    expect(root.querySelector('pre code')?.textContent).toBe('const a = **1**;');
    expect([...root.querySelectorAll('ul li')].map((l) => l.textContent)).toEqual(['one', 'two']);
    expect([...root.querySelectorAll('ol li')].map((l) => l.textContent)).toEqual(['first', 'second']);
    expect(root.querySelector('blockquote em')?.textContent).toBe('text');
  });

  it('links bare URLs and [text](url), without trailing punctuation, and opens them through the app', () => {
    const open = vi.fn();
    const root = render('See https://example.com/a_b?x=1. and [the docs](https://docs.example.com/p)', open);
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a_b?x=1',
      'https://docs.example.com/p',
    ]);
    expect(links[1]?.textContent).toBe('the docs');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0]!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith('https://example.com/a_b?x=1');
  });

  it('highlights @mentions, and mentions of me more', () => {
    const root = render('@Alex Morgan can you ask @sam? mail me at a@b.com');
    const mentions = [...root.querySelectorAll('.mention')];
    expect(mentions.map((m) => m.textContent)).toEqual(['@Alex Morgan', '@sam']);
    expect(mentions[0]?.classList.contains('me')).toBe(true);
    expect(mentions[1]?.classList.contains('me')).toBe(false);
  });

  it('turns :shortcodes: into emoji and leaves unknown ones', () => {
    expect(render(':tada: done :nope:').textContent).toBe('🎉 done :nope:');
  });

  it('gives a plain one-line preview', () => {
    expect(plainText('**Hi** @sam\n- see [docs](https://x.io)')).toBe('Hi @sam see docs');
  });

  it('accepts only absolute http(s) URLs', () => {
    expect(safeHref('https://ok.example/')).toBe('https://ok.example/');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '//evil.example',
      'ftp://x',
      '/x',
    ]) {
      expect(safeHref(bad)).toBeNull();
    }
  });

  it('survives a very long message and deep nesting', () => {
    const root = render('*'.repeat(5000) + '_'.repeat(5000) + '['.repeat(2000) + 'word '.repeat(2000));
    expect(root.textContent?.length).toBeGreaterThan(10_000);
    expect(parseMarkup('> > > > > > deep').length).toBe(1);
  });
});

describe('XSS corpus', () => {
  it.each(XSS)('renders %j as text only', (body) => {
    const root = render(body);
    assertSafe(root);
    // No markup from the message was interpreted: every "<" in the source is still in the text.
    const lt = (s: string): number => s.split('<').length - 1;
    expect(lt(root.textContent ?? '')).toBe(lt(body.replace(/```\n?/g, '')));
  });

  it('shows HTML entities literally', () => {
    expect(render('&lt;b&gt; &amp; &#60;').textContent).toBe('&lt;b&gt; &amp; &#60;');
  });

  it('renders the whole corpus at once with only allowed elements and http(s) hrefs', () => {
    const root = render(XSS.join('\n\n'));
    assertSafe(root);
    expect(root.querySelector('script, img, svg, iframe, style, math')).toBeNull();
  });
});
