// Hostile markup from a colleague: link text that names another address, bodies built to make the
// parser slow, bidi controls, prototype names as shortcodes, credentials in links, and Genesys
// mention markup. The work the parser does is counted (ParseMeter), so its linear bound is
// checked without a clock; test/e2e/markup-speed.spec.ts times the same bodies in Chromium.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import MessageText from '../../src/renderer/src/components/MessageText.svelte';
import {
  MAX_ELEMENTS,
  parseMarkup,
  plainText,
  safeHref,
  type MarkupOptions,
  type ParseMeter,
} from '../../src/renderer/src/lib/markup.ts';
import { previewText } from '../../src/renderer/src/lib/preview.ts';
import { HOSTILE_BODIES, HOSTILE_NAMES } from '../support/hostile-markup.ts';

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
});

function render(
  body: string,
  options: MarkupOptions = {},
  onOpenLink = (_: string): void => {},
): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  cmp = mount(MessageText, { target, props: { body, options, onOpenLink } });
  flushSync();
  return target;
}

describe('link text', () => {
  it('is parsed with links off: no link inside a link, one address shown and opened, one open per click', () => {
    const open = vi.fn();
    const root = render('[https://login.mypurecloud.com](https://evil.example)', {}, open);
    const links = [...root.querySelectorAll('a')];
    expect(links).toHaveLength(1);
    expect(root.querySelector('a a')).toBeNull();
    expect(links[0]!.getAttribute('href')).toBe('https://evil.example/');
    // The anchor shows the address it opens; the text that named another one is not a link.
    expect(links[0]!.textContent).toBe('https://evil.example/');
    expect(root.textContent).toBe('https://login.mypurecloud.com (https://evil.example/)');
    links[0]!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    expect(open.mock.calls).toEqual([['https://evil.example/']]);
  });

  it('keeps text that names the same site, and never links an address inside it', () => {
    const root = render(
      '[docs.example.com](https://docs.example.com/a) [see https://docs.example.com/b](https://www.docs.example.com/b) [**the** notes](https://x.example/n)',
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['docs.example.com', 'https://docs.example.com/a'],
      ['see https://docs.example.com/b', 'https://www.docs.example.com/b'],
      ['the notes', 'https://x.example/n'],
    ]);
    expect(root.querySelector('a a, a strong a')).toBeNull();
  });

  it('shows the real address for every text that reads as another one', () => {
    for (const [label, shown] of [
      ['login.mypurecloud.com', 'login.mypurecloud.com'],
      ['www.bank.example/login', 'www.bank.example/login'],
      ['Sign in at https://apps.mypurecloud.com/', 'Sign in at https://apps.mypurecloud.com/'],
    ] as const) {
      const root = render(`[${label}](https://evil.example/x)`);
      expect(root.querySelector('a')?.textContent, label).toBe('https://evil.example/x');
      expect(root.textContent, label).toBe(`${shown} (https://evil.example/x)`);
      if (cmp) unmount(cmp);
      cmp = null;
    }
  });
});

describe('linear time', () => {
  const options: MarkupOptions = {
    myNames: ['Alex Rivera', 'Alex'],
    myIds: ['u-me'],
    names: HOSTILE_NAMES,
  };
  const steps = (body: string): number => {
    const meter: ParseMeter = { steps: 0, elements: 0 };
    parseMarkup(body, options, meter);
    return meter.steps;
  };

  it.each(Object.entries(HOSTILE_BODIES))(
    '%s: 100 KB costs ten times 10 KB, a few steps per character',
    (_, make) => {
      const small = make(10_000);
      const large = make(100_000);
      expect(large.length).toBeGreaterThanOrEqual(100_000);
      const a = steps(small);
      const b = steps(large);
      expect(b / large.length, `${b} steps for ${large.length} characters`).toBeLessThan(8);
      expect(b / a, `10 KB: ${a} steps, 100 KB: ${b} steps`).toBeLessThan(12);
    },
  );
});

describe('size of the DOM', () => {
  it.each([
    ['bold words', '**q** '],
    ['lines', 'q\n'],
    ['list items', '- q\n'],
    ['links', '[q](https://x.example/) '],
  ])('a body of 20 000 %s becomes at most MAX_ELEMENTS elements, and keeps its text', (_, unit) => {
    const root = render(unit.repeat(20_000));
    expect(root.querySelectorAll('*').length).toBeLessThanOrEqual(MAX_ELEMENTS + 3);
    expect(root.textContent!.split('q').length - 1).toBe(20_000);
  });
});

describe('bidi controls, prototype names, credentials', () => {
  it('strips bidi controls from link text and previews, and makes no link of an address holding one', () => {
    const root = render('[\u202Egnp.exe](https://ok.example/a) https://ok.example/\u202Etxt.exe');
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(['gnp.exe', 'https://ok.example/']);
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://ok.example/a', 'https://ok.example/']);
    expect(safeHref('https://ok.example/\u202Etxt.exe')).toBeNull();
    for (const c of ['\u202A', '\u202E', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(previewText(`**Hi** ${c}there`)).toBe('Hi there');
    }
  });

  it('makes no emoji of a prototype member', () => {
    const keys = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'toString'];
    for (const key of keys) {
      expect(plainText(`:${key}:`), key).toBe(`:${key}:`);
    }
    expect(plainText(':tada:')).toBe('🎉');
  });

  it('refuses links with a user name, a password or an @ before the host', () => {
    for (const bad of [
      'https://user@host.example/',
      'https://user:pw@host.example/',
      'https://@host.example/',
      'https://login.mypurecloud.com@evil.example/',
      'http://a:b@evil.example:8080/x',
    ]) {
      expect(safeHref(bad), bad).toBeNull();
      const root = render(`${bad} [x](${bad})`);
      expect(root.querySelector('a'), bad).toBeNull();
      if (cmp) unmount(cmp);
      cmp = null;
    }
    expect(safeHref('https://host.example/a@b')).toBe('https://host.example/a@b');
  });
});

describe('Genesys mention markup', () => {
  it('renders [@Name](#/person/<id>) as a mention, never as a link or a #/person href', () => {
    const root = render('[@Alex Rivera](#/person/u-me) and [@Sam Lee](#/person/u-sam) look', {
      myIds: ['u-me'],
    });
    expect(root.querySelector('a')).toBeNull();
    expect(root.innerHTML).not.toContain('#/person');
    const mentions = [...root.querySelectorAll('.mention')];
    expect(mentions.map((m) => [m.textContent, m.classList.contains('me')])).toEqual([
      ['@Alex Rivera', true],
      ['@Sam Lee', false],
    ]);
    expect(root.textContent).toBe('@Alex Rivera and @Sam Lee look');
  });

  it('is a mention of me by name too, and other # addresses stay text', () => {
    const root = render('[Alex](#/person/other-id) [x](#/room/abc)', { myNames: ['Alex'] });
    expect(root.querySelector('.mention.me')?.textContent).toBe('@Alex');
    expect(root.textContent).toBe('@Alex [x](#/room/abc)');
    expect(root.querySelector('a')).toBeNull();
  });
});
