// A sync's decisions (a catch-up after sleep reads one batch per chat) reach the disk and the user
// together: at the sync's end, or FLUSH_MS after its first batch; not one full save of the state
// every quarter second while the batches come in. Real store files, real timers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineData } from '../../src/main/engine/engine-data.ts';
import { initialSnapshot, StateHub } from '../../src/main/engine/engine-state.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { Pipeline } from '../../src/main/engine/pipeline.ts';
import { fileBackend } from '../../src/main/store/file-backend.ts';
import { openStore, type AppStore } from '../../src/main/store/store.ts';
import { created, ME } from './fixtures.ts';

const quiet = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dirs: string[] = [];
const stores: AppStore[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'gct-pipeline-'));
  dirs.push(dir);
  let writes = 0;
  const store = openStore({
    cwd: dir,
    logger: quiet,
    backend: (where) => {
      const file = fileBackend(where);
      return {
        get store() {
          return file.store;
        },
        set store(doc) {
          writes++;
          file.store = doc;
        },
      };
    },
  });
  stores.push(store);
  const data = new EngineData(store, 'test', () => {});
  data.takeUp({ id: ME, name: 'Me', jid: `${ME}@chat` });
  const shown: NotificationOut[] = [];
  const pipeline = new Pipeline({
    data,
    notifier: { show: (n) => shown.push(n), withdraw: () => {} },
    state: new StateHub(initialSnapshot(false, 'test')),
    prefs: () => store.get('prefs'),
    me: () => ({ id: ME, jid: `${ME}@chat` }),
    senderName: async () => 'Alice',
    settingsReady: async () => {},
    stopped: () => false,
    activity: () => {},
    log: () => {},
    now: () => Date.now(),
  });
  const startWrites = writes;
  return { pipeline, shown, writes: () => writes - startWrites };
}

describe('a sync’s decisions', () => {
  it('are saved once and shown together when the sync ends, however long its batches take', async () => {
    const { pipeline, shown, writes } = rig();
    for (const n of [1, 2, 3]) {
      await pipeline.enqueueBatch({
        source: 'backfill',
        inSync: true,
        chat: { id: `room-${n}`, kind: 'room', jid: `room-${n}@conference`, name: `Room ${n}` },
        events: [created({ id: `m${n}`, chatId: `room-${n}`, body: `backlog ${n}` }, 'backfill')],
      });
      await sleep(150); // the batches of a catch-up come over more than a quarter of a second
    }
    expect(writes()).toBe(0);
    expect(shown).toEqual([]);
    await pipeline.enqueueFlush(); // 'synced'
    expect(writes()).toBe(1);
    expect(shown.map((n) => n.messageId)).toEqual(['m1', 'm2', 'm3']);
  });
});
