// Hostile content in the BUILT popup, in Chromium: a colleague (through the simulator) names a room
// with markup and posts the XSS corpus (test/support/xss-corpus.ts) into it, mentioning the user, so
// every body shows in the inbox preview and in the conversation, and some in the pinned list.
// Nothing may run (no dialog, no flag set by a payload, no CSP violation, no request a payload
// would make), no element may carry an on* attribute or a javascript:/data:/vbscript: URL, message
// content may only produce the renderer's own formatting elements, and the text stays readable
// as text.
import type { Page } from '@playwright/test';
import { plainText } from '../../src/renderer/src/lib/markup.ts';
import { previewText } from '../../src/renderer/src/lib/preview.ts';
import { XSS_BEACON, XSS_CORPUS, XSS_FLAG } from '../support/xss-corpus.ts';
import { expect, startDemoApp, test, type DemoApp } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  await demo?.stop();
  demo = null;
});

/** A room name a colleague chose: markup, a script, a hostile link and template syntax. */
const HOSTILE_ROOM = `<img src="${XSS_BEACON}/room" onerror="window.${XSS_FLAG}=1"><script>alert(1)</script> **Ops** [x](javascript:alert(1)) {@html '<b>x</b>'}`;

/** What message content may turn into (test/renderer/markup.test.ts allows the same). */
const CONTENT_TAGS = [
  'div',
  'p',
  'br',
  'strong',
  'em',
  'code',
  'pre',
  'a',
  'span',
  'ul',
  'ol',
  'li',
  'blockquote',
];
const CONTENT_ATTRS = ['class', 'href', 'rel', 'title', 'start'];
/** Elements that message content must never add anywhere in the document. */
const DANGEROUS =
  'script, style, link, meta, base, iframe, frame, frameset, object, embed, applet, portal, img, svg, math, video, audio, source, marquee, noscript, template, details';

/** The little of the DOM the page functions use (this project's Node tsconfig has no DOM lib). */
interface Node_ {
  localName: string;
  textContent: string | null;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
  querySelector(selector: string): Node_ | null;
  querySelectorAll(selector: string): ArrayLike<Node_> & Iterable<Node_>;
}
interface PageGlobals extends Record<string, unknown> {
  document: Node_ & {
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (e: { violatedDirective: string; blockedURI: string; sample: string }) => void,
    ): void;
  };
}

const lt = (s: string): number => s.split('<').length - 1;
const squash = (s: string): string => s.replace(/\s+/g, '');

/** Every finding in the page that hostile content could have caused; [] when clean. */
async function audit(page: Page, baseline: number): Promise<string[]> {
  return page.evaluate(
    ({ dangerous, baseline, tags, attrs, flag }) => {
      const g = globalThis as unknown as PageGlobals;
      const found: string[] = [];
      const URL_ATTRS = [
        'href',
        'src',
        'action',
        'formaction',
        'xlink:href',
        'srcdoc',
        'data',
        'poster',
        'background',
        'ping',
        'srcset',
        'cite',
      ];
      // Browsers ignore leading controls, spaces and these invisible characters in a scheme.
      // eslint-disable-next-line no-control-regex -- exactly the characters that hide a scheme
      const hidden = /[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
      for (const el of g.document.querySelectorAll('*')) {
        for (const name of el.getAttributeNames()) {
          const a = name.toLowerCase();
          const value = el.getAttribute(name) ?? '';
          if (a.startsWith('on')) found.push(`<${el.localName}> has an event attribute ${a}`);
          if (
            URL_ATTRS.includes(a) &&
            /^(javascript|data|vbscript):/.test(value.replace(hidden, '').toLowerCase())
          ) {
            found.push(`<${el.localName}> ${a}=${JSON.stringify(value.slice(0, 80))}`);
          }
        }
      }
      const count = g.document.querySelectorAll(dangerous).length;
      if (count !== baseline) found.push(`${count} script/style/frame/media elements, ${baseline} at load`);
      const content = g.document.querySelectorAll(
        '.message-text, .inbox .text, .inbox .name, .pinned-text, [data-testid="chat-list"] .name, #conversation-title',
      );
      if (content.length === 0) found.push('no message content on the page to audit');
      for (const root of content) {
        for (const el of root.querySelectorAll('*')) {
          if (!tags.includes(el.localName)) found.push(`message content made a <${el.localName}>`);
          for (const a of el.getAttributeNames()) {
            if (!attrs.includes(a)) found.push(`message content made <${el.localName} ${a}>`);
            if (a === 'href' && !/^https?:\/\//.test(el.getAttribute(a) ?? ''))
              found.push(`href ${el.getAttribute(a)}`);
          }
        }
      }
      if (g[flag] !== undefined) found.push(`a payload ran: window.${flag} = ${String(g[flag])}`);
      for (const v of (g['__gctCspViolations'] as string[] | undefined) ?? [])
        found.push(`CSP violation: ${v}`);
      return found;
    },
    { dangerous: DANGEROUS, baseline, tags: CONTENT_TAGS, attrs: CONTENT_ATTRS, flag: XSS_FLAG },
  );
}

/** The preview texts of the inbox group of the chat named `name`, newest first. */
function previews(page: Page, name: string): Promise<string[] | null> {
  return page.evaluate((chatName) => {
    const { document } = globalThis as unknown as PageGlobals;
    const group = [...document.querySelectorAll('[data-testid="inbox-chat"]')].find(
      (g) => g.querySelector('.name')?.textContent === chatName,
    );
    return group ? [...group.querySelectorAll('.text')].map((t) => t.textContent ?? '') : null;
  }, name);
}

test('hostile message bodies and chat names render as inert text in the inbox, conversation and pins', async ({
  page,
  openPopup,
}) => {
  test.setTimeout(60_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    const g = globalThis as unknown as PageGlobals;
    Object.defineProperty(g, '__gctCspViolations', { value: seen });
    g.document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`),
    );
  });

  demo = await startDemoApp(21);
  const { page: p, bridge, server, problems } = await openPopup(demo.deps);
  demo.connect(bridge);
  const sim = demo.sim();
  const me = sim.demoUser;
  await expect(p.getByTestId('tab-inbox')).toBeVisible();
  const baseline = await p.locator(DANGEROUS).count();
  const requestsAtStart = server.requests.length;

  // A colleague makes a room with a hostile name, with the user in it, and mentions them there.
  const colleague = sim.users.find((u) => u.id !== me.id)!;
  const { accessToken } = sim.control.actAs(colleague.id);
  const created = await fetch(`${sim.url}/api/v2/chats/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: HOSTILE_ROOM, userIds: [me.id] }),
  });
  expect(created.status).toBe(200);
  const { jid } = (await created.json()) as { jid: string };
  const post = (body: string): string =>
    sim.control.post({ as: colleague.id, room: jid, body, mentions: [me.id] }).id;
  post('Welcome to the new room');
  await expect.poll(() => previews(p, HOSTILE_ROOM)).toEqual(['Welcome to the new room']);

  // Inbox: three at a time (the group previews a chat's newest three).
  const posted: { id: string; body: string }[] = [];
  for (let i = 0; i < XSS_CORPUS.length; i += 3) {
    const round = XSS_CORPUS.slice(i, i + 3).map((body) => ({ id: post(body), body }));
    posted.push(...round);
    const expected = round.map((m) => m.body.slice(0, 4000)).reverse();
    await expect
      .poll(() => previews(p, HOSTILE_ROOM), { message: `inbox previews of corpus ${i}..${i + 2}` })
      .toEqual(expected.map((t) => previewText(t)));
    // The preview is text (without bidi controls): every "<" of the message is still there to read.
    for (const [n, text] of ((await previews(p, HOSTILE_ROOM)) ?? []).entries()) {
      expect(lt(text), JSON.stringify(expected[n]).slice(0, 80)).toBe(lt(expected[n]!));
    }
  }
  expect(await audit(p, baseline)).toEqual([]);

  // The chat list shows the room's name as it was given.
  await p.getByTestId('tab-chats').click();
  await expect(p.getByTestId('chat-list').locator('.name').filter({ hasText: '**Ops**' })).toHaveText(
    HOSTILE_ROOM,
  );
  expect(await audit(p, baseline)).toEqual([]);
  await p.getByTestId('tab-inbox').click();

  // Two hostile messages pinned, then the conversation with its whole history.
  const linked = posted.find((m) => m.body.startsWith('[<img'))!;
  const toPin = [posted[0]!, linked];
  for (const m of toPin) sim.control.pin(m.id);
  await p.getByTestId('inbox-chat').filter({ hasText: '**Ops**' }).click();
  await expect(p.locator('#conversation-title')).toHaveText(HOSTILE_ROOM);
  const beginning = p.getByText('This is the beginning of the conversation.');
  for (let n = 0; n < 5 && !(await beginning.isVisible()); n++) {
    const older = p.getByRole('button', { name: 'Load older messages' });
    await older.click({ timeout: 5000 }).catch(() => {});
    await p.waitForTimeout(100);
  }
  await expect(beginning).toBeVisible();
  expect(await audit(p, baseline)).toEqual([]);
  const rendered = new Map(
    await p.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return [...document.querySelectorAll('[data-testid="message"]')].map(
        (m) =>
          [m.getAttribute('data-message-id'), m.querySelector('.message-text')?.textContent ?? null] as const,
      );
    }),
  );
  posted.forEach((m) => {
    const text = rendered.get(m.id);
    const what = JSON.stringify(m.body).slice(0, 80);
    expect(text, `${what} is shown`).toEqual(expect.any(String));
    expect(squash(text!), what).toBe(squash(plainText(m.body)));
    expect(lt(text!), what).toBe(lt(m.body));
  });
  await expect(p.locator(`[data-message-id="${posted[0]!.id}"]`)).toContainText('<script>alert(1)</script>');
  await expect(p.locator(`[data-message-id="${posted[0]!.id}"] .message-text`)).toBeVisible();
  // A link that is http(s) stays a link (the renderer did not simply drop all anchors).
  await expect(p.locator(`[data-message-id="${linked.id}"] a[href="https://ok.example/"]`)).toHaveText([
    '<img src=x onerror=alert(1)>',
    'https://ok.example/',
  ]);

  await p.getByTestId('pins-toggle').click();
  const pinned = p.getByTestId('pinned-list').locator('.pinned-text');
  await expect(pinned).toHaveCount(2);
  for (const m of toPin) {
    await expect(pinned.filter({ hasText: plainText(m.body).slice(0, 20) })).toHaveCount(1);
  }
  expect(await audit(p, baseline)).toEqual([]);

  // Nothing ran, nothing was fetched on a payload's behalf, nothing complained.
  expect(dialogs).toEqual([]);
  const fetched = server.requests.slice(requestsAtStart).filter((r) => !r.startsWith('/assets/'));
  expect(fetched, 'requests made after the popup loaded').toEqual([]);
  expect(problems).toEqual([]);
});

test('pathological markup from a colleague renders without freezing the popup', async ({
  page,
  openPopup,
}) => {
  // Long tasks on the page's main thread, as Chromium reports them.
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals & {
      PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => {
        observe(o: { type: string; buffered: boolean }): void;
      };
    };
    const tasks: number[] = [];
    Object.defineProperty(g, '__gctLongTasks', { value: tasks });
    new g.PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  demo = await startDemoApp(22);
  const { page: p, bridge } = await openPopup(demo.deps);
  demo.connect(bridge);
  const sim = demo.sim();
  const me = sim.demoUser;
  const room = sim.control.chats(me.id).find((c) => c.kind === 'room' && c.participants.length > 2)!;
  const colleague = room.participants.find((u) => u !== me.id)!;
  await p.getByTestId('tab-chats').click();
  await p.getByTestId('chat-list').getByRole('button', { name: room.name }).first().click();
  await expect(p.locator('#conversation-title')).toHaveText(room.name);
  const longTasks = (): Promise<number[]> =>
    p.evaluate(() => [...((globalThis as unknown as Record<string, number[]>)['__gctLongTasks'] ?? [])]);
  const before = (await longTasks()).length;

  // Each within the 20 000 characters the contract lets a message body have.
  const bodies = [
    `https://ok.example/${')'.repeat(19_000)}`,
    `https://ok.example/${'.'.repeat(19_000)}x`,
    `https://ok.example/${'('.repeat(19_000)}`,
    '*'.repeat(19_000),
    '_a'.repeat(9_500),
    '@a'.repeat(9_500),
    ':a'.repeat(9_500),
    '`'.repeat(19_000),
    '> '.repeat(9_500),
  ];
  const ids = bodies.map((body) => sim.control.post({ as: colleague, room: room.jid!, body }).id);
  for (const id of ids)
    await expect(p.locator(`[data-message-id="${id}"]`)).toBeAttached({ timeout: 15_000 });
  const tasks = (await longTasks()).slice(before);
  expect(Math.max(0, ...tasks), `long tasks: ${tasks.join(', ')} ms`).toBeLessThan(1500);
});
