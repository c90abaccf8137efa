// Opens the app's settings file (preferences and engine state): migrates old versions, moves damaged
// files aside instead of failing or losing them, and hands out typed, validated sections. The file
// is read here and written by a backend: electron-store in the app, a minimal atomic writer in
// plain Node (file-backend.ts).
import { chmodSync, copyFileSync, constants, existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { isObject, migrate } from './migrations.ts';
import { fileBackend } from './file-backend.ts';
import { salvage } from './salvage.ts';
import {
  STORE_VERSION,
  defaultDocument,
  sectionSchemas,
  type SectionName,
  type StoreDocument,
} from './schema.ts';

/**
 * The file holds chat names, message excerpts and unsent replies: only its owner may read it. The
 * default writer creates it 0600; electron-store (the app) and conf are given these options.
 */
export const STORE_FILE_MODE = 0o600;
export const CONF_OPTIONS = {
  accessPropertiesByDotNotation: false,
  configFileMode: STORE_FILE_MODE,
} as const;

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface OpenStoreOptions {
  /** Folder of the file: Electron's `userData` in the app, a temp folder in tests. */
  cwd: string;
  /** File name without `.json` (default 'settings'). */
  name?: string;
  logger: StoreLogger;
  /** Clock for the names of files moved aside. */
  now?: () => number;
  /**
   * The writer of the file: `fileBackend` by default (temp file, fsync, rename); the Electron app
   * passes electron-store, and a test passes `conf` (what electron-store is built on) to check it
   * writes the same way. Everything else, reading included, is this module's, in all of them.
   */
  backend?: (options: { cwd: string; configName: string }) => { store: StoreDocument };
}

export interface AppStore {
  readonly path: string;
  /** A copy of a section; changing it changes nothing until `set`. */
  get<K extends SectionName>(section: K): StoreDocument[K];
  /** Validates and writes a section (atomically, with the rest of the document); throws if invalid. */
  set<K extends SectionName>(section: K, value: StoreDocument[K]): void;
  /** Reads, changes and writes a section in one synchronous step; returns what was written. */
  update<K extends SectionName>(
    section: K,
    change: (current: StoreDocument[K]) => StoreDocument[K],
  ): StoreDocument[K];
  /**
   * Replaces some fields of a section, validated and written like `set`, without copying the
   * section first or after (the engine saves a large state this way, often).
   */
  patch<K extends SectionName>(section: K, fields: Partial<StoreDocument[K]>): void;
  close(): void;
}

const openStores = new Map<string, AppStore>();

/**
 * Opens (creating if needed) `<cwd>/<name>.json`. Opening a path that is already open in this process
 * returns the same store, so two parts of the app never overwrite each other's writes.
 *
 * What happens to what the file holds:
 * - missing: defaults are written;
 * - not JSON, or JSON that is not an object, or an old version whose migration fails: the file is
 *   moved aside to `<name>.corrupt-<time>.json` and defaults are used;
 * - an older version: migrated; the original is kept as `<name>.pre-v<N>-<time>.json`;
 * - a newer version (after a downgrade): read as far as this version understands it; the original is
 *   kept as `<name>.newer-<time>.json`;
 * - some fields invalid or unknown (a hand edit): every valid field of every section is kept, each
 *   invalid one is reset to its default, and the original is copied to `<name>.corrupt-<time>.json`.
 * Each case is logged with the reason. Read errors other than a missing file (permissions) are thrown.
 */
export function openStore(options: OpenStoreOptions): AppStore {
  const name = options.name ?? 'settings';
  const path = join(resolve(options.cwd), `${name}.json`);
  const existing = openStores.get(path);
  if (existing) return existing;

  const { logger } = options;
  const loaded = load(path, logger, options.now ?? Date.now);
  const where = { cwd: dirname(path), configName: basename(path, '.json') };
  const conf = options.backend ? options.backend(where) : fileBackend(where);
  let doc = loaded.doc;
  let closed = false;

  const write = (next: StoreDocument) => {
    try {
      conf.store = next;
    } catch (error) {
      logger.error(`could not write ${path}: ${(error as Error).message}`);
      throw error;
    }
    doc = next;
  };
  if (loaded.needsWrite) write(doc);

  const assertOpen = () => {
    if (closed) throw new Error(`store ${path} is closed`);
  };
  const store: AppStore = {
    path,
    get(section) {
      assertOpen();
      return structuredClone(doc[section]);
    },
    set(section, value) {
      assertOpen();
      const parsed = sectionSchemas[section].safeParse(value);
      if (!parsed.success) {
        throw new TypeError(`invalid ${section}: ${z.prettifyError(parsed.error)}`);
      }
      write({ ...doc, [section]: parsed.data });
    },
    update(section, change) {
      assertOpen();
      store.set(section, change(structuredClone(doc[section])));
      return structuredClone(doc[section]);
    },
    patch(section, fields) {
      // The parse in `set` copies what it validates, so the document never shares objects with the caller.
      store.set(section, { ...doc[section], ...fields });
    },
    close() {
      closed = true;
      if (openStores.get(path) === store) openStores.delete(path);
    },
  };
  openStores.set(path, store);
  return store;
}

interface Loaded {
  doc: StoreDocument;
  needsWrite: boolean;
}

function load(path: string, logger: StoreLogger, now: () => number): Loaded {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.error(`cannot read ${path}: ${(error as Error).message}`);
      throw error;
    }
    logger.info(`no settings at ${path} yet; starting from defaults`);
    return { doc: defaultDocument(), needsWrite: true };
  }

  const startOver = (why: string): Loaded => {
    const aside = setAside(path, 'corrupt', now, 'move');
    logger.warn(`${path} ${why}; moved it to ${aside} and started from defaults`);
    return { doc: defaultDocument(), needsWrite: true };
  };

  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return startOver('is not valid JSON');
  }
  if (!isObject(raw)) return startOver('does not hold a JSON object');

  const problems: string[] = [];
  const stated = raw.version === undefined ? 1 : raw.version;
  let version = STORE_VERSION;
  if (typeof stated === 'number' && Number.isInteger(stated) && stated >= 1) version = stated;
  else problems.push(`version: not a positive integer, read as version ${STORE_VERSION}`);
  let current = raw;
  if (version < STORE_VERSION) {
    try {
      current = migrate(raw, version, STORE_VERSION);
    } catch (error) {
      return startOver(`could not be migrated from version ${version} (${(error as Error).message})`);
    }
  }
  const salvaged = salvage(current);
  problems.push(...salvaged.problems);

  if (version > STORE_VERSION) {
    const aside = setAside(path, 'newer', now, 'copy');
    logger.warn(
      `${path} was written by a newer version (${version}); reading what version ${STORE_VERSION} ` +
        `understands, original kept at ${aside}` +
        (problems.length ? `; reset: ${problems.join('; ')}` : ''),
    );
  } else if (problems.length > 0) {
    const aside = setAside(path, 'corrupt', now, 'copy');
    logger.warn(
      `${path} had invalid fields, reset to defaults: ${problems.join('; ')}; original kept at ${aside}`,
    );
  } else if (version < STORE_VERSION) {
    const aside = setAside(path, `pre-v${STORE_VERSION}`, now, 'copy');
    logger.info(`${path} migrated from version ${version} to ${STORE_VERSION}; original kept at ${aside}`);
  }
  return { doc: salvaged.doc, needsWrite: !isDeepStrictEqual(raw, salvaged.doc) };
}

/** Moves or copies the file to `<name>.<tag>-<time>.json` beside it, never over an existing file. */
function setAside(path: string, tag: string, now: () => number, how: 'move' | 'copy'): string {
  const stem = path.replace(/\.json$/, '');
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
  let aside = `${stem}.${tag}-${stamp}.json`;
  for (let n = 2; existsSync(aside); n++) aside = `${stem}.${tag}-${stamp}-${n}.json`;
  if (how === 'move') renameSync(path, aside);
  else copyFileSync(path, aside, constants.COPYFILE_EXCL);
  chmodSync(aside, STORE_FILE_MODE); // a file from an older version may have been world-readable
  return aside;
}
