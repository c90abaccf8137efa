// Bundles test/renderer/probe/markup-probe.ts (the app's MessageText and markup parser, compiled as the app's build
// compiles them) into one script for page.evaluate. Nothing of it ships.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export const PROBE_GLOBAL = '__gctMarkupProbe';

/** What the probe's `render(body, options)` answers, measured in the page. */
export interface ProbeResult {
  /** Parsing and building the DOM, in ms. */
  ms: number;
  /** Parsing alone, in ms. */
  parseMs: number;
  /** Elements the body became (at least its container). */
  elements: number;
}

export async function buildMarkupProbe(): Promise<string> {
  const entry = fileURLToPath(new URL('../../renderer/probe/markup-probe.ts', import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [svelte({ configFile: fileURLToPath(new URL('../../../svelte.config.js', import.meta.url)) })],
    build: {
      write: false,
      minify: true,
      lib: { entry, formats: ['iife'], name: PROBE_GLOBAL, fileName: 'probe' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunk = outputs.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the markup probe did not build');
  return chunk.code;
}
