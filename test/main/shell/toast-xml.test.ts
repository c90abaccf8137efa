// Windows toast XML and its activation arguments: well-formed for any message text, escaped,
// reply and buttons as the notification asks, and arguments that only parse when they are ours.
import { describe, expect, it } from 'vitest';
import type { DesktopNotification, NotificationTarget } from '../../../src/main/shell/ports.ts';
import {
  activationFromElectron,
  escapeXml,
  parseToastArguments,
  renderToastXml,
  toastArguments,
  toastText,
} from '../../../src/main/shell/toast-xml.ts';

const target: NotificationTarget = {
  chatId: 'support-team@conference.demo.genesys.local',
  messageId: '6b1c2d3e-0000-4000-8000-00000000abcd',
};
const inThread: NotificationTarget = { ...target, threadId: 'thread-1f2e' };

const note = (over: Partial<DesktopNotification> = {}): DesktopNotification => ({
  tag: target.messageId,
  target,
  title: 'Priya Raman in Support Team',
  body: 'Alex, can you check?',
  silent: false,
  messageIds: [target.messageId],
  replyable: true,
  actions: [
    { id: 'mark-read', label: 'Mark read' },
    { id: 'react', label: '👍' },
  ],
  ...over,
});

// ---------------------------------------------------------------------------------------------
// A small, strict XML 1.0 reader (elements, attributes, text, the five entities and character
// references; no prolog, comments, CDATA or DTD, which the toast never has). Throws on anything
// that is not well-formed, so a test fails on what a lenient DOM parser would let through.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) throw new Error(`character U+${c.toString(16)} is not allowed in XML`);
  }
  const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
  const WS = /[ \t\r\n]*/y;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`);
  };
  const match = (re: RegExp): string => {
    re.lastIndex = i;
    const m = re.exec(xml);
    if (!m) return '';
    i = re.lastIndex;
    return m[0];
  };
  const name = (): string => match(NAME) || fail('expected a name');
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('raw < in character data');
    if (/]]>/.test(raw)) fail(']]> in character data');
    return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail('bare &');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref in named) return named[ref]!;
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (!num) return fail(`unknown entity &${ref};`);
      const cp = num[1] ? parseInt(num[1], 16) : Number(num[2]);
      if (!(cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0x10ffff))) fail('bad char ref');
      return String.fromCodePoint(cp);
    });
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const ws = match(WS);
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (!ws) fail('expected whitespace before an attribute');
      const attr = name();
      match(WS);
      if (xml[i] !== '=') fail('expected =');
      i++;
      match(WS);
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted value');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail('unterminated element');
      if (next > i) el.children.push(decode(xml.slice(i, next)));
      i = next;
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`mismatched end tag for ${el.name}`);
        match(WS);
        if (xml[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) fail('unexpected markup');
      el.children.push(element());
    }
  };
  match(WS);
  const root = element();
  match(WS);
  if (i !== xml.length) fail('content after the root element');
  return root;
}

const elements = (el: XmlElement, name: string): XmlElement[] =>
  el.children.flatMap((c) =>
    typeof c === 'string' ? [] : [...(c.name === name ? [c] : []), ...elements(c, name)],
  );
const textOf = (el: XmlElement): string =>
  el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

describe('the XML checker used here', () => {
  it.each([
    '<t>&</t>',
    '<t>a &foo; b</t>',
    '<t a="<"/>',
    '<t a="1" a="2"/>',
    '<t a="x"b="y"/>',
    '<t>\u0001</t>',
    '<t>]]></t>',
    '<t><u></t></u>',
    '<t/><u/>',
    '<t a=x/>',
  ])('refuses %j', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it('reads attributes and text with entities decoded', () => {
    const el = parseXml(`<t a="&quot;&apos;&lt;&gt;&amp;" b='"'>x &#x1F44D; &#65;<u/></t>`);
    expect(el.attrs).toEqual({ a: `"'<>&`, b: '"' });
    expect(textOf(el)).toBe('x 👍 A');
  });
});

// ---------------------------------------------------------------------------------------------

describe('toast XML', () => {
  it('is a ToastGeneric toast with title, body, a reply input with Send, and one button per action', () => {
    const toast = parseXml(renderToastXml(note()));
    expect(toast.name).toBe('toast');
    expect(toast.attrs['activationType']).toBe('foreground');
    expect(parseToastArguments(toast.attrs['launch'])).toEqual({ verb: 'open', ...target });
    const [binding] = elements(toast, 'binding');
    expect(binding?.attrs['template']).toBe('ToastGeneric');
    expect(elements(toast, 'text').map(textOf)).toEqual([
      'Priya Raman in Support Team',
      'Alex, can you check?',
    ]);

    const inputs = elements(toast, 'input');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.attrs).toEqual({ id: 'reply', type: 'text', placeHolderContent: 'Reply…' });
    const actions = elements(toast, 'action');
    expect(actions.map((a) => a.attrs['content'])).toEqual(['Send', 'Mark read', '👍']);
    expect(actions.map((a) => parseToastArguments(a.attrs['arguments'])?.verb)).toEqual([
      'reply',
      'mark-read',
      'react',
    ]);
    expect(actions[0]!.attrs['hint-inputId']).toBe('reply');
    for (const a of actions) expect(a.attrs['activationType']).toBe('foreground');
    expect(elements(toast, 'audio')).toEqual([]);
  });

  it('is silent when asked, with <audio silent="true"/>', () => {
    const audio = elements(parseXml(renderToastXml(note({ silent: true }))), 'audio');
    expect(audio.map((a) => a.attrs)).toEqual([{ silent: 'true' }]);
  });

  it('has no reply input or Send unless replyable, and no <actions> at all without buttons', () => {
    const noReply = parseXml(renderToastXml(note({ replyable: false })));
    expect(elements(noReply, 'input')).toEqual([]);
    expect(elements(noReply, 'action').map((a) => a.attrs['content'])).toEqual(['Mark read', '👍']);
    const bare = parseXml(renderToastXml(note({ replyable: false, actions: [] })));
    expect(elements(bare, 'actions')).toEqual([]);
    const replyOnly = parseXml(renderToastXml(note({ actions: [] })));
    expect(elements(replyOnly, 'action').map((a) => a.attrs['content'])).toEqual(['Send']);
  });

  it('carries the thread in every activation, and an explicit context over the notification’s own', () => {
    const other: NotificationTarget = { chatId: 'user-42', messageId: 'm-9', threadId: 't-3' };
    const toast = parseXml(renderToastXml(note({ target: inThread }), other));
    const all = [toast.attrs['launch'], ...elements(toast, 'action').map((a) => a.attrs['arguments'])];
    expect(all.map((s) => parseToastArguments(s))).toEqual([
      { verb: 'open', ...other },
      { verb: 'reply', ...other },
      { verb: 'mark-read', ...other },
      { verb: 'react', ...other },
    ]);
  });

  it('escapes every special character in text and attributes', () => {
    const hostile = `<b>"Tom" & 'Jerry'</b> ]]> &amp; <!-- x --> <?pi?>`;
    const xml = renderToastXml(
      note({
        title: hostile,
        body: hostile,
        actions: [{ id: 'react', label: `"/><action content='x` }],
        target: { chatId: `a&b<c>"d'e@conference`, messageId: `m"<>&'` },
      }),
    );
    // No raw special characters outside the markup we wrote.
    expect(xml).not.toMatch(/<b>|<!--|<\?|'Jerry'|"Tom"/);
    expect(xml).toContain('&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt; ]]&gt; &amp;amp;');
    const toast = parseXml(xml);
    expect(elements(toast, 'text').map(textOf)).toEqual([hostile, hostile]);
    const actions = elements(toast, 'action');
    expect(actions.map((a) => a.attrs['content'])).toEqual(['Send', `"/><action content='x`]);
    expect(parseToastArguments(actions[1]!.attrs['arguments'])).toEqual({
      verb: 'react',
      chatId: `a&b<c>"d'e@conference`,
      messageId: `m"<>&'`,
    });
  });

  it('stays well-formed for hostile text: controls, lone surrogates, non-characters, huge input', () => {
    const nasty = [
      'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\u0085i',
      'lone \uD800 high and \uDC00 low, pair 😀 kept',
      'not chars: \uFFFE\uFFFF',
      'x'.repeat(100_000),
      '\r\nline\r\n\r\n\r\n\r\nbreaks\r',
      '👩‍👩‍👧‍👦'.repeat(1000),
    ];
    for (const text of nasty) {
      const xml = renderToastXml(note({ title: text, body: text, actions: [{ id: 'react', label: text }] }));
      const toast = parseXml(xml);
      const [title, body] = elements(toast, 'text').map(textOf);
      expect(title!.length).toBeLessThanOrEqual(120 * 11); // at most 120 graphemes (a family is 11 units)
      expect(body!.length).toBeLessThanOrEqual(600 * 11);
      expect(xml.length).toBeLessThan(20_000);
    }
    const [title, body] = elements(
      parseXml(renderToastXml(note({ title: nasty[0]!, body: nasty[1]! }))),
      'text',
    ).map(textOf);
    expect(title).toBe('abcdefghi');
    expect(body).toBe('lone high and low, pair 😀 kept');
  });

  it('keeps line breaks in the body (at most one blank line), but not in the title', () => {
    expect(toastText('\r\n first \r\n\r\n\r\n\tsecond  line\r', 100, true)).toBe('first\n\nsecond line');
    expect(toastText('first\nsecond', 100, false)).toBe('first second');
  });

  it('cuts long text at a grapheme with an ellipsis', () => {
    expect(toastText('abcdef', 6, false)).toBe('abcdef');
    expect(toastText('abcdefg', 6, false)).toBe('abcde…');
    expect(toastText('ab 👍🏽👩‍👩‍👧 x', 5, false)).toBe('ab 👍🏽…');
    // No space left dangling before the ellipsis.
    expect(toastText('ab   cdefgh', 4, false)).toBe('ab…');
  });

  it('gives a display-only toast when the target cannot be carried back', () => {
    const toast = parseXml(renderToastXml(note({ target: { chatId: 'has space', messageId: 'm' } })));
    expect(toast.attrs['launch']).toBeUndefined();
    expect(elements(toast, 'input')).toEqual([]);
    expect(elements(toast, 'action')).toEqual([]);
    expect(elements(toast, 'text').map(textOf)).toEqual([
      'Priya Raman in Support Team',
      'Alex, can you check?',
    ]);
  });

  it('escapeXml covers the five XML specials and nothing else', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
    expect(escapeXml('plain ✓ text')).toBe('plain ✓ text');
  });
});

describe('toast arguments', () => {
  it('are compact, versioned and round-trip, with and without a thread', () => {
    expect(toastArguments('open', { chatId: 'c@x', messageId: 'm1' })).toBe('v=1&do=open&chat=c%40x&msg=m1');
    for (const verb of ['open', 'reply', 'mark-read', 'react'] as const)
      for (const t of [target, inThread, { chatId: 'ünï©ødé+&=%', messageId: '¿?#/', threadId: '😀' }])
        expect(parseToastArguments(toastArguments(verb, t))).toEqual({ verb, ...t });
  });

  it.each([
    ['empty', ''],
    ['not a string', 42],
    ['no version', 'do=open&chat=c&msg=m'],
    ['another version', 'v=2&do=open&chat=c&msg=m'],
    ['unknown verb', 'v=1&do=delete&chat=c&msg=m'],
    ['missing message', 'v=1&do=open&chat=c'],
    ['empty chat', 'v=1&do=open&chat=&msg=m'],
    ['extra key', 'v=1&do=open&chat=c&msg=m&tag=123'],
    ['Electron-style', 'type=click&action=0&tag=123'],
    ['duplicate key', 'v=1&do=open&do=reply&chat=c&msg=m'],
    ['reordered keys', 'v=1&chat=c&do=open&msg=m'],
    ['key without value', 'v=1&do=open&chat=c&msg'],
    ['double =', 'v=1&do=open&chat=c=d&msg=m'],
    ['empty part', 'v=1&&do=open&chat=c&msg=m'],
    ['leading ?', '?v=1&do=open&chat=c&msg=m'],
    ['raw space', 'v=1&do=open&chat=c d&msg=m'],
    ['encoded space', 'v=1&do=open&chat=c+d&msg=m'],
    ['encoded control', 'v=1&do=open&chat=c%00d&msg=m'],
    ['encoded newline', 'v=1&do=open&chat=c%0Ad&msg=m'],
    ['non-canonical escape', 'v=1&do=open&chat=%63&msg=m'],
    ['lower-case escape', 'v=1&do=open&chat=c%c3%a9&msg=m'],
    ['broken escape', 'v=1&do=open&chat=c%zz&msg=m'],
    ['raw @ (not form-encoded)', 'v=1&do=open&chat=c@x&msg=m'],
    ['prototype key', 'v=1&do=open&chat=c&msg=m&__proto__=x'],
    ['too long', `v=1&do=open&chat=${'c'.repeat(600)}&msg=m`],
    ['huge', `v=1&do=open&chat=c&msg=${'m'.repeat(5000)}`],
    ['trailing &', 'v=1&do=open&chat=c&msg=m&'],
  ])('refuses %s', (_why, s) => {
    expect(parseToastArguments(s)).toBeNull();
  });
});

describe('activations from Electron', () => {
  const args = (verb: Parameters<typeof toastArguments>[0], t: NotificationTarget = target) =>
    toastArguments(verb, t);

  it('maps a click on the toast to the conversation', () => {
    expect(activationFromElectron({ type: 'click', arguments: args('open', inThread) })).toEqual({
      kind: 'click',
      ...inThread,
    });
  });

  it('maps Send to a reply with the typed text, from `reply` or else from userInputs.reply', () => {
    expect(
      activationFromElectron({ type: 'reply', arguments: args('reply'), reply: 'On it', userInputs: {} }),
    ).toEqual({ kind: 'reply', text: 'On it', ...target });
    expect(
      activationFromElectron({
        type: 'action',
        arguments: args('reply', inThread),
        userInputs: { reply: 'Done' },
      }),
    ).toEqual({ kind: 'reply', text: 'Done', ...inThread });
    // Send with nothing typed opens the conversation rather than sending nothing.
    expect(activationFromElectron({ type: 'reply', arguments: args('reply'), reply: '  ' })).toEqual({
      kind: 'click',
      ...target,
    });
    expect(activationFromElectron({ type: 'reply', arguments: args('reply') })).toBeNull();
    // Nothing typed at all (no input reported): not a reply we can act on.
    expect(
      activationFromElectron({ type: 'reply', arguments: args('reply'), userInputs: { other: 'x' } }),
    ).toBeNull();
    // The text is passed on whole: the reply route applies the composer's length limit.
    const long = 'x'.repeat(20_000);
    expect(activationFromElectron({ type: 'reply', arguments: args('reply'), reply: long })).toMatchObject({
      kind: 'reply',
      text: long,
    });
  });

  it('maps each button by the verb in its own arguments, whatever the index', () => {
    expect(activationFromElectron({ type: 'action', arguments: args('mark-read'), actionIndex: 5 })).toEqual({
      kind: 'action',
      id: 'mark-read',
      ...target,
    });
    expect(activationFromElectron({ type: 'action', arguments: args('react'), actionIndex: 0 })).toEqual({
      kind: 'action',
      id: 'react',
      ...target,
    });
    // Electron cannot always tell the type of a custom toast's activation: the arguments decide.
    expect(activationFromElectron({ type: '', arguments: args('react') })).toMatchObject({ id: 'react' });
  });

  it('refuses activations whose arguments are not ours, or of an unknown type', () => {
    expect(activationFromElectron({ type: 'click', arguments: '' })).toBeNull();
    expect(activationFromElectron({ type: 'click', arguments: 'type=click&tag=123' })).toBeNull();
    expect(activationFromElectron({ type: 'action', arguments: 'v=1&do=pin&chat=c&msg=m' })).toBeNull();
    expect(activationFromElectron({ type: 'launch', arguments: args('open') })).toBeNull();
  });
});
