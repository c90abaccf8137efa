// The popup's built JavaScript (out/renderer, from `npm run build`) is minified: electron-vite 6
// leaves the renderer unminified unless the config asks, which nearly doubled what every popup
// load parses (479 KB against 208 KB) and carried our module paths into the shipped app.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ASSETS = resolve(import.meta.dirname, '../../../out/renderer/assets');

describe('the built popup bundle', () => {
  it('is minified, without module path comments', () => {
    if (!existsSync(ASSETS))
      throw new Error('out/renderer is missing: run `npm run build` first (npm test does).');
    const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const js = readFileSync(join(ASSETS, file), 'utf8');
      const lines = js.split('\n').length;
      expect(js, file).not.toMatch(/^\/\/ (node_modules|src)\//m);
      // Minified output is a few long lines; the unminified build had one line per ~30 bytes.
      expect(lines, `${file}: ${lines} lines for ${js.length} bytes`).toBeLessThan(js.length / 1000);
    }
  });
});
