// The settings store on real files: defaults, round trips, damaged and hand-edited files, migration from
// version 1, and many updates in one process.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONF_OPTIONS, openStore, type AppStore, type StoreLogger } from '../../../src/main/store/store.ts';
import {
  STORE_VERSION,
  defaultDocument,
  appRulesFromPrefs,
  type StoreDocument,
} from '../../../src/main/store/schema.ts';
import { Ledger } from '../../../src/main/engine/ledger.ts';
import { message } from '../../engine/fixtures.ts';

const NOW = Date.UTC(2025, 0, 6, 12, 0, 0, 123);
const STAMP = '2025-01-06T12-00-00-123Z';

let dir: string;
let logged: { level: keyof StoreLogger; message: string }[];
const opened: AppStore[] = [];
const logger: StoreLogger = {
  info: (m) => logged.push({ level: 'info', message: m }),
  warn: (m) => logged.push({ level: 'warn', message: m }),
  error: (m) => logged.push({ level: 'error', message: m }),
};

function open(): AppStore {
  const store = openStore({ cwd: dir, logger, now: () => NOW });
  opened.push(store);
  return store;
}
const file = () => join(dir, 'settings.json');
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8'));
const others = () => readdirSync(dir).filter((name) => name !== 'settings.json');
const warnings = () => logged.filter((entry) => entry.level === 'warn').map((entry) => entry.message);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gct-store-'));
  logged = [];
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('first run', () => {
  it('writes and returns the defaults', () => {
    const store = open();
    expect(store.path).toBe(file());
    expect(store.get('prefs')).toMatchObject({
      theme: 'system',
      loopbackPort: 8765,
      keywords: [],
      quietHours: null,
    });
    expect(store.get('engine')).toEqual({
      owner: null,
      ledger: null,
      held: null,
      outbox: [],
      roster: [],
      syncedAt: null,
      lastMessages: {},
      settings: null,
      reactionsTold: [],
      inbox: [],
    });
    expect(onDisk()).toEqual(defaultDocument());
    expect(warnings()).toEqual([]);
  });
});

describe('round trip', () => {
  it('what is set is what a restarted app reads', () => {
    const ledger = new Ledger();
    ledger.markProcessed(message({ id: 'm1', createdAt: NOW }));
    const store = open();
    store.update('prefs', (prefs) => ({
      ...prefs,
      theme: 'dark',
      keywords: ['outage'],
      quietHours: { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] },
      chatMutes: { 'room-1': { until: NOW + 3_600_000 } },
    }));
    store.update('engine', (engine) => ({
      ...engine,
      owner: { userId: 'u-me', environment: 'mypurecloud.ie' },
      ledger: ledger.toJSON(),
      roster: [
        { id: 'room-1', kind: 'room', jid: 'r1@conference.example', name: 'Ops', dateLastMessage: NOW },
      ],
    }));
    store.close();

    const again = open();
    expect(again.get('prefs')).toMatchObject({ theme: 'dark', keywords: ['outage'] });
    expect(appRulesFromPrefs(again.get('prefs'))).toEqual({
      chatMutes: { 'room-1': { until: NOW + 3_600_000 } },
      keywords: ['outage'],
      dnd: false,
      quietHours: { start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] },
    });
    const restored = Ledger.fromJSON(again.get('engine').ledger);
    expect(restored.issue).toBeUndefined();
    expect(restored.ledger.shouldProcess(message({ id: 'm1', createdAt: NOW }))).toBe(false);
    expect(again.get('engine').roster[0]?.name).toBe('Ops');
    expect(warnings()).toEqual([]);
  });

  it('a value that fails the schema is refused and nothing is written', () => {
    const store = open();
    const before = readFileSync(file(), 'utf8');
    expect(() => store.set('prefs', { ...store.get('prefs'), loopbackPort: 80 })).toThrow(/loopbackPort/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(store.get('prefs').loopbackPort).toBe(8765);
  });

  it('changing what get returned changes nothing stored', () => {
    const store = open();
    store.get('prefs').keywords.push('sneaky');
    expect(store.get('prefs').keywords).toEqual([]);
  });
});

describe('a damaged file', () => {
  it.each([
    ['not JSON', '{"version": 2, "prefs": {'],
    ['empty', ''],
    ['an array', '[1, 2]'],
    ['null', 'null'],
  ])('(%s) is moved aside and replaced by defaults, with the reason logged', (_label, text) => {
    writeFileSync(file(), text);
    const store = open();
    expect(store.get('prefs').theme).toBe('system');
    expect(onDisk()).toEqual(defaultDocument());
    expect(others()).toEqual([`settings.corrupt-${STAMP}.json`]);
    expect(readFileSync(join(dir, `settings.corrupt-${STAMP}.json`), 'utf8')).toBe(text);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/moved it to .*settings\.corrupt-.*started from defaults/);
  });

  it('two damaged files in the same millisecond are both kept', () => {
    writeFileSync(file(), 'oops');
    open().close();
    writeFileSync(file(), 'oops again');
    open();
    expect(others().sort()).toEqual([`settings.corrupt-${STAMP}-2.json`, `settings.corrupt-${STAMP}.json`]);
  });
});

describe('a hand-edited file with some invalid fields', () => {
  it('keeps every valid field, resets the invalid ones, and keeps the original aside', () => {
    const doc = defaultDocument();
    const edited = {
      ...doc,
      prefs: { ...doc.prefs, theme: 'purple', keywords: ['outage'], loopbackPort: 9000, colour: 'red' },
      engine: {
        ...doc.engine,
        ledger: { version: 1, cursors: 'broken' },
        roster: [{ id: 'r', kind: 'room', jid: 'j', name: 'R' }],
      },
    };
    const text = JSON.stringify(edited, null, 2);
    writeFileSync(file(), text);

    const store = open();
    expect(store.get('prefs')).toMatchObject({ theme: 'system', keywords: ['outage'], loopbackPort: 9000 });
    expect(store.get('prefs')).not.toHaveProperty('colour');
    expect(store.get('engine')).toMatchObject({ ledger: null, roster: [{ id: 'r', name: 'R' }] });
    expect(onDisk().prefs.theme).toBe('system');
    expect(readFileSync(join(dir, `settings.corrupt-${STAMP}.json`), 'utf8')).toBe(text);
    const [warning = ''] = warnings();
    expect(warning).toMatch(/prefs\.theme/);
    expect(warning).toMatch(/prefs\.colour: unknown field/);
    expect(warning).toMatch(/engine\.ledger/);
    expect(warning).not.toMatch(/purple|outage/);
  });

  it('a section that is not an object is reset while the other section is kept', () => {
    const doc = defaultDocument();
    writeFileSync(file(), JSON.stringify({ ...doc, prefs: { ...doc.prefs, sound: false }, engine: 'gone' }));
    const store = open();
    expect(store.get('prefs').sound).toBe(false);
    expect(store.get('engine')).toEqual(defaultDocument().engine);
    expect(warnings()[0]).toMatch(/engine: not an object/);
    expect(others()).toEqual([`settings.corrupt-${STAMP}.json`]);
  });

  it('a mute keyed longer than any chat id is dropped alone; the other mutes are kept', () => {
    const doc = defaultDocument();
    const tooLong = 'r'.repeat(513);
    const mutes = { 'room-1': {}, [tooLong]: {}, 'u-bob': { until: NOW + 60_000 } };
    writeFileSync(file(), JSON.stringify({ ...doc, prefs: { ...doc.prefs, chatMutes: mutes } }));
    const store = open();
    expect(store.get('prefs').chatMutes).toEqual({ 'room-1': {}, 'u-bob': { until: NOW + 60_000 } });
    expect(Object.keys(onDisk().prefs.chatMutes)).toEqual(['room-1', 'u-bob']);
  });

  it('missing fields are filled in silently, without a copy aside', () => {
    writeFileSync(file(), JSON.stringify({ version: STORE_VERSION, prefs: { theme: 'light' } }));
    const store = open();
    expect(store.get('prefs')).toMatchObject({ theme: 'light', sound: true });
    expect(onDisk().prefs.sound).toBe(true);
    expect(warnings()).toEqual([]);
    expect(others()).toEqual([]);
  });
});

describe('versions', () => {
  const v1 = {
    version: 1,
    prefs: {
      theme: 'dark',
      sound: false,
      region: 'mypurecloud.de',
      mutedChats: ['room-1', 'u-bob'],
      quietHours: { from: '21:30', to: '06:45' },
      keywords: ['release'],
    },
    engine: { roster: [] },
  };

  it('a version 1 file is migrated, and the original kept', () => {
    writeFileSync(file(), JSON.stringify(v1));
    const store = open();
    expect(store.get('prefs')).toMatchObject({
      theme: 'dark',
      sound: false,
      environment: 'mypurecloud.de',
      chatMutes: { 'room-1': {}, 'u-bob': {} },
      quietHours: { start: '21:30', end: '06:45' },
      keywords: ['release'],
    });
    expect(onDisk().version).toBe(2);
    expect(onDisk().prefs).not.toHaveProperty('region');
    expect(JSON.parse(readFileSync(join(dir, `settings.pre-v2-${STAMP}.json`), 'utf8'))).toEqual(v1);
    expect(warnings()).toEqual([]);
    expect(
      logged.some((entry) => entry.level === 'info' && /migrated from version 1 to 2/.test(entry.message)),
    ).toBe(true);
  });

  it('a file without a version is read as version 1', () => {
    const { version: _version, ...unversioned } = v1;
    writeFileSync(file(), JSON.stringify(unversioned));
    expect(open().get('prefs').environment).toBe('mypurecloud.de');
  });

  it('a file from a newer version is read as far as possible and kept aside', () => {
    const doc = defaultDocument();
    writeFileSync(
      file(),
      JSON.stringify({ ...doc, version: 3, prefs: { ...doc.prefs, theme: 'dark', fancy: true } }),
    );
    const store = open();
    expect(store.get('prefs').theme).toBe('dark');
    expect(others()).toEqual([`settings.newer-${STAMP}.json`]);
    expect(warnings()[0]).toMatch(/newer version \(3\)/);
  });
});

describe('updates in one process', () => {
  it('interleaved asynchronous updates lose nothing, in memory or on disk', async () => {
    const store = open();
    const sameFile = open();
    expect(sameFile).toBe(store);
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 7));
        await Promise.resolve();
        (i % 2 ? store : sameFile).update('prefs', (prefs) => ({
          ...prefs,
          chatMutes: { ...prefs.chatMutes, [`room-${i}`]: { until: NOW + i } },
        }));
      }),
    );
    expect(Object.keys(store.get('prefs').chatMutes)).toHaveLength(300);
    store.close();
    expect(Object.keys(open().get('prefs').chatMutes)).toHaveLength(300);
    expect(Object.keys(onDisk().prefs.chatMutes)).toHaveLength(300);
  });

  it('a closed store refuses to be used', () => {
    const store = open();
    store.close();
    expect(() => store.get('prefs')).toThrow(/closed/);
  });
});

describe('the file writer', () => {
  it('writes through the backend it is given (electron-store in the app), into the same file', () => {
    const writes: string[] = [];
    const store = openStore({
      cwd: dir,
      logger,
      backend: ({ cwd, configName }) => {
        const conf = new Conf<StoreDocument>({ cwd, configName, accessPropertiesByDotNotation: false });
        return {
          get store() {
            return conf.store;
          },
          set store(value: StoreDocument) {
            writes.push(value.prefs.theme);
            conf.store = value;
          },
        };
      },
    });
    opened.push(store);
    store.update('prefs', (p) => ({ ...p, theme: 'dark' }));
    expect(writes.at(-1)).toBe('dark');
    expect(onDisk().prefs.theme).toBe('dark');
  });
});

describe('file permissions', () => {
  const modeOf = (name: string): number => statSync(join(dir, name)).mode & 0o777;
  const backends = [
    ['the default writer', undefined],
    [
      'conf with the options the app gives electron-store',
      (where: { cwd: string; configName: string }) => new Conf<StoreDocument>({ ...where, ...CONF_OPTIONS }),
    ],
  ] as const;

  it.skipIf(process.platform === 'win32').each(backends)(
    'the file is readable by its owner only, also when an older version left it world-readable: %s',
    (_name, backend) => {
      writeFileSync(file(), JSON.stringify({ ...defaultDocument(), prefs: { theme: 7 } }), { mode: 0o644 });
      const store = openStore({ cwd: dir, logger, now: () => NOW, ...(backend ? { backend } : {}) });
      opened.push(store);
      store.update('prefs', (p) => ({ ...p, theme: 'dark' }));
      expect(onDisk().prefs.theme).toBe('dark');
      expect(modeOf('settings.json').toString(8)).toBe('600');
      // The copy of the hand-edited original is private too.
      expect(others()).toEqual([`settings.corrupt-${STAMP}.json`]);
      expect(modeOf(others()[0]!).toString(8)).toBe('600');
    },
  );
});
