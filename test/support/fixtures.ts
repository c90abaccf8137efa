// Loads the Genesys wire fixtures of test/fixtures/genesys/ (see the README there).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/genesys/', import.meta.url));

const FixtureFile = z.object({
  model: z.string().min(1).nullable(),
  source: z.string().min(1),
  endpoint: z.string().min(1).optional(),
  topic: z.string().min(1).optional(),
  direction: z.enum(['response', 'request']).optional(),
  notes: z.string().optional(),
  value: z.unknown(),
});

export interface Fixture extends z.infer<typeof FixtureFile> {
  /** Path under test/fixtures/genesys/, for example `push/room-mention.json`. */
  file: string;
}

/** Every fixture under one folder (`rest`, `push`, `messaging`), sorted by file name. */
export function loadFixtures(folder: 'rest' | 'push' | 'messaging'): Fixture[] {
  const dir = join(FIXTURES_DIR, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = `${folder}/${name}`;
      const parsed = FixtureFile.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success) throw new Error(`${file}: not a fixture file: ${parsed.error.message}`);
      return { ...parsed.data, file };
    });
}

/** One fixture by its path under test/fixtures/genesys/. */
export function fixture(file: string): Fixture {
  const [folder, name] = file.split('/') as ['rest' | 'push' | 'messaging', string];
  const found = loadFixtures(folder).find((f) => f.file === `${folder}/${name}`);
  if (!found) throw new Error(`no fixture ${file}`);
  return found;
}
