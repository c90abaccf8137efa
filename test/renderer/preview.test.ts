// A message's preview (inbox, chat list, pinned list): its text on one line, mentions and links
// styled as in the conversation, nothing clickable, no bidi controls.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import PreviewText from '../../src/renderer/src/components/PreviewText.svelte';
import { plainText } from '../../src/renderer/src/lib/markup.ts';
import { previewText } from '../../src/renderer/src/lib/preview.ts';
import { stripBidiControls } from '../../src/shared/text/bidi.ts';
import { HOSTILE_BODIES } from '../support/hostile-markup.ts';
import { XSS_CORPUS } from '../support/xss-corpus.ts';

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
});

function render(body: string): HTMLElement {
  const target = document.createElement('span');
  document.body.append(target);
  cmp = mount(PreviewText, { target, props: { body, options: { myNames: ['Alex Rivera', 'Alex'] } } });
  flushSync();
  return target;
}

describe('previews', () => {
  it('style mentions and links as the conversation does, with nothing to click', () => {
    const root = render(
      '@Alex Rivera can you check\n- the **release notes**? https://example.com/notes `v2`',
    );
    expect(root.textContent).toBe(
      '@Alex Rivera can you check the release notes? https://example.com/notes v2',
    );
    expect(root.querySelector('.mention.me')?.textContent).toBe('@Alex Rivera');
    expect(root.querySelector('.link')?.textContent).toBe('https://example.com/notes');
    expect(root.querySelector('code')?.textContent).toBe('v2');
    expect(root.querySelector('a, button, [href], [onclick]')).toBeNull();
  });

  it('read as the plain text of the message without bidi controls', () => {
    const bodies = [...XSS_CORPUS, ...Object.values(HOSTILE_BODIES).map((make) => make(2_000))];
    for (const body of bodies) {
      expect(previewText(body), JSON.stringify(body).slice(0, 60)).toBe(stripBidiControls(plainText(body)));
    }
    expect(render('[x](https://ok.example/) \u202Egnp.exe').textContent).toBe('x gnp.exe');
  });
});
