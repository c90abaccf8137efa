// Build of the three Electron bundles: main (ESM), preload (CommonJS, as sandboxed preloads
// require) and the Svelte renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { asciiOnly, BUNDLED_DEPENDENCIES, MAIN_BUNDLE_OUTPUT } from './scripts/main-bundle.ts';

export default defineConfig({
  main: {
    // ASCII only, without comments, zod built in: see scripts/main-bundle.ts.
    plugins: [asciiOnly()],
    build: {
      externalizeDeps: { exclude: [...BUNDLED_DEPENDENCIES] },
      rollupOptions: { input: { index: resolve('src/main/index.ts') }, output: { ...MAIN_BUNDLE_OUTPUT } },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      // electron-vite 6 leaves the renderer unminified by default: the popup's JS was 479 KB instead
      // of 268 KB (115 KB gzip instead of 65 KB), parsed on every popup load.
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
