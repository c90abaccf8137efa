// Writes replace the settings file atomically: another process reading it in a tight loop while the app
// writes large documents never sees a missing, empty or half-written file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import Conf from 'conf';
import type { StoreDocument } from '../../../src/main/store/schema.ts';
import { openStore } from '../../../src/main/store/store.ts';

const READER = `
const fs = require('node:fs');
const path = process.argv[1];
let reads = 0, bad = 0, stop = false;
process.stdin.on('end', () => { stop = true; });
process.stdin.resume();
function loop() {
  for (let i = 0; i < 20; i++) {
    try { JSON.parse(fs.readFileSync(path, 'utf8')); reads++; } catch { bad++; }
  }
  if (stop) process.stdout.write(JSON.stringify({ reads, bad }) + '\\n');
  else setImmediate(loop);
}
process.stdout.write('ready\\n');
loop();
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gct-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  ['the default writer', undefined],
  [
    'conf (what electron-store, the app writer, is built on)',
    (where: { cwd: string; configName: string }) =>
      new Conf<StoreDocument>({ ...where, accessPropertiesByDotNotation: false }),
  ],
])('a reader in another process never sees a partly written file: %s', async (_name, backend) => {
  const silent = { info() {}, warn() {}, error() {} };
  const store = openStore({ cwd: dir, logger: silent, ...(backend ? { backend } : {}) });
  const reader = spawn(process.execPath, ['-e', READER, store.path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  reader.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  while (!lines.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 10));

  const started = Date.now();
  for (let i = 0; Date.now() - started < 1500 || i < 50; i++) {
    const outbox = Array.from({ length: 2000 }, (_, n) => ({ id: `${i}-${n}`, text: 'x'.repeat(40) }));
    store.update('engine', (engine) => ({ ...engine, outbox }));
    // Let the reader's reads interleave with the next write.
    await new Promise((resolve) => setImmediate(resolve));
  }
  reader.stdin.end();
  await once(reader, 'exit');
  store.close();

  const result = JSON.parse(lines.find((line) => line.startsWith('{')) ?? '{}') as {
    reads: number;
    bad: number;
  };
  expect(result.reads).toBeGreaterThan(100);
  expect(result.bad).toBe(0);
  // No temporary files are left behind.
  expect(readdirSync(dir)).toEqual(['settings.json']);
});
