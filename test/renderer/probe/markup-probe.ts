// Test-only entry, bundled by test/e2e/probe/markup-probe-build.ts and evaluated inside the built
// popup in Chromium: mounts the app's own MessageText component with a body and reports how long
// parsing and building its DOM took, measured in the page.
import { flushSync, mount, unmount } from 'svelte';
import MessageText from '../../../src/renderer/src/components/MessageText.svelte';
import { parseMarkup, type MarkupOptions } from '../../../src/renderer/src/lib/markup.ts';

/** The same shape as ProbeResult in test/e2e/probe/markup-probe-build.ts (a Node module). */
export interface ProbeResult {
  /** Parsing and building the DOM. */
  ms: number;
  /** Parsing alone. */
  parseMs: number;
  /** Elements the body became (at least its container). */
  elements: number;
}

export function render(body: string, options: MarkupOptions): ProbeResult {
  const parseStart = performance.now();
  parseMarkup(body, options);
  const parseMs = performance.now() - parseStart;
  const target = document.createElement('div');
  target.className = 'markup-probe';
  document.body.append(target);
  const start = performance.now();
  const component = mount(MessageText, { target, props: { body, options } });
  flushSync();
  const ms = performance.now() - start;
  const elements = target.querySelectorAll('*').length;
  unmount(component);
  target.remove();
  return { ms, parseMs, elements };
}
