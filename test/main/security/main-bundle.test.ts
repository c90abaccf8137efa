// The main process's built bundle (out/main, from `npm run build`) is ASCII only and has no
// comments, and has zod built in (scripts/main-bundle.ts): V8 keeps the whole source in memory for the life of the
// process, and a single character outside Latin-1 in it makes that copy UTF-16, twice the size.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = resolve(import.meta.dirname, '../../../out/main/index.js');

describe('the built main bundle', () => {
  it('is ASCII only and without comments, but not minified otherwise', () => {
    if (!existsSync(MAIN)) throw new Error('out/main is missing: run `npm run build` first (npm test does).');
    const js = readFileSync(MAIN, 'utf8');
    const nonAscii = /[^\t\n\r\x20-\x7e]/.exec(js);
    expect(nonAscii, nonAscii ? `"${js.slice(nonAscii.index - 40, nonAscii.index + 40)}"` : '').toBeNull();
    // Only the bundler's one-line module markers (`// src/main/...`, `// node_modules/zod/...`) are
    // left of the comments.
    expect(js).not.toMatch(/^\s*\/\/ (?!src\/|node_modules\/)/m);
    expect(js).not.toMatch(/\/\*\*\s/);
    // Names and line breaks stay, so a stack trace in a log still reads.
    expect(js).toMatch(/\bChatSource = class\b/);
    expect(js.split('\n').length).toBeGreaterThan(js.length / 200);
  });

  it('has zod built in instead of loading the package (about 1 MB of source kept in memory)', () => {
    if (!existsSync(MAIN)) throw new Error('out/main is missing: run `npm run build` first (npm test does).');
    const js = readFileSync(MAIN, 'utf8');
    expect(js).not.toMatch(/\bfrom\s*["']zod(\/[^"']*)?["']|\brequire\(\s*["']zod/);
    expect(js).not.toMatch(/\bimport\(\s*["']zod/);
    // Its parts the schemas use are there (the object schema's constructor, by its name).
    expect(js).toMatch(/\$ZodObject\b/);
  });
});
