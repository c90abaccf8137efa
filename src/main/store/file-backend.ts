// A minimal writer for the store's document, for plain Node (the headless runner): compact JSON to
// a temporary file, fsync, rename over the old one, so a crash leaves the old or the new file,
// never half of one. electron-store (the app) and conf write the same document the same way but
// also read the whole file back on every write and load a schema validator the store does not use.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreDocument } from './schema.ts';

/** Owner read and write only (store.ts STORE_FILE_MODE; not imported, store.ts imports this). */
const MODE = 0o600;

export function fileBackend(where: { cwd: string; configName: string }): { store: StoreDocument } {
  const path = join(where.cwd, `${where.configName}.json`);
  let current: StoreDocument | null = null;
  let writes = 0;
  return {
    get store(): StoreDocument {
      if (!current) throw new Error('the store reads its file itself; nothing was written yet');
      return current;
    },
    set store(doc: StoreDocument) {
      mkdirSync(where.cwd, { recursive: true });
      const tmp = `${path}.${process.pid}.${writes++}.tmp`;
      const fd = openSync(tmp, 'w', MODE);
      try {
        writeSync(fd, JSON.stringify(doc));
        fsyncSync(fd);
      } catch (err) {
        closeSync(fd);
        rmSync(tmp, { force: true });
        throw err;
      }
      closeSync(fd);
      chmodSync(tmp, MODE); // openSync's mode is reduced by the umask; make it exact
      renameSync(tmp, path);
      current = doc;
    },
  };
}
