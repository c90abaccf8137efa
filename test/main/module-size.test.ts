// The main process stays in small modules, each with one job (issue 12): no .ts file under src/main
// over MAX_LINES lines. A module that grows past it is split by job, not given an exception.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 320;
const MAIN = fileURLToPath(new URL('../../src/main', import.meta.url));

/** Every .ts file under src/main with its line count (as `wc -l` counts them). */
function moduleSizes(): { path: string; lines: number }[] {
  return readdirSync(MAIN, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const text = readFileSync(join(MAIN, name), 'utf8');
      return {
        path: relative(MAIN, join(MAIN, name)).split('\\').join('/'),
        lines: text.split('\n').length - 1,
      };
    });
}

describe('module size in src/main', () => {
  const sizes = moduleSizes();

  it('finds the modules it measures', () => {
    expect(sizes.map((s) => s.path)).toContain('app.ts');
    expect(sizes.length).toBeGreaterThan(50);
  });

  it(`has no module over ${MAX_LINES} lines`, () => {
    const over = sizes.filter((s) => s.lines > MAX_LINES).map((s) => `${s.path} (${s.lines} lines)`);
    expect(over, 'split these by job').toEqual([]);
  });
});
