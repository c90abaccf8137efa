// `npm run bench`: measures the engine against the Genesys Cloud simulator and the built popup in
// Chromium, prints a table and writes bench/results/latest.json. `npm run bench -- --only push,poll`
// runs some sections and merges them into the latest.json already there; `--build` rebuilds the
// renderer first. What each figure means and how it is taken: docs/performance.md.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleHeadless } from './lib/bundle.ts';
import { measureCatchup, type CatchupRun } from './lib/catchup.ts';
import { measureIdle } from './lib/idle.ts';
import { measureIdleFloor } from './lib/idle-floor.ts';
import { measurePollLatency, measurePushLatency } from './lib/latency.ts';
import { measureMessagingLatency } from './lib/messaging.ts';
import { measureRenderer } from './lib/renderer.ts';
import {
  CATCHUP_RUNS,
  METHOD_NOTES,
  SECTIONS,
  startLoad,
  table,
  toLatest,
  writeDetails,
  writeLatest,
  type Measured,
  type Section,
} from './lib/results.ts';
import { measureSteady } from './lib/steady.ts';
import { log } from './lib/util.ts';

const PUSH_SAMPLES = 200;
// 20 customers in about 10 s: more would meet the request budget (200/min), not the engine's latency.
const MESSAGING_SAMPLES = 20;
const POLL_SAMPLES = 30;
const POLL_SPACING_MS = 1_500;
const STEADY = { settleMs: 10_000, windowMs: 90_000 };
const IDLE = { seconds: 60, settleMs: 10_000 };
const CATCHUP = { chats: 200, messages: 10_000, timeoutMs: 180_000 };
const RENDERER_LOADS = 7;

function parse(argv: string[]): { only: Set<Section>; build: boolean } {
  let only = new Set<Section>(SECTIONS);
  let build = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--build') build = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const picked = (list ?? '').split(',').map((s) => s.trim());
      const unknown = picked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
      if (unknown.length || picked.length === 0)
        throw new Error(`--only takes a list of ${SECTIONS.join(', ')}; got "${list ?? ''}"`);
      only = new Set(picked as Section[]);
    } else if (arg === '--help' || arg === '-h') {
      console.log(`Usage: npm run bench [-- --only ${SECTIONS.join(',')}] [-- --build]`);
      process.exit(0);
    } else throw new Error(`Unknown argument ${arg} (try --help)`);
  }
  return { only, build };
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log(`${what}...`);
  const out = await fn();
  log(`${what}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

async function main(): Promise<void> {
  const { only, build } = parse(process.argv.slice(2));
  const full = only.size === SECTIONS.length;
  const load = startLoad();
  const t0 = performance.now();
  const m: Measured = {};

  // CPU-sensitive sections run alone.
  if (only.has('renderer'))
    m.renderer = await timed('renderer', () =>
      measureRenderer({
        loads: RENDERER_LOADS,
        build,
        chromiumPath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      }),
    );
  if (only.has('push'))
    m.push = await timed('push latency', () => measurePushLatency({ samples: PUSH_SAMPLES }));
  if (only.has('messaging'))
    m.messaging = await timed('messaging latency', () =>
      measureMessagingLatency({ samples: MESSAGING_SAMPLES }),
    );

  // Quiet sections (and polling, which mostly waits for its ticks) share their minute.
  const together: Promise<void>[] = [];
  if (only.has('steady'))
    together.push(
      timed('steady requests', () => measureSteady(STEADY)).then((r) => {
        m.steady = r;
      }),
    );
  if (only.has('idle')) {
    const bundle = await bundleHeadless();
    together.push(
      Promise.all([
        timed('idle (bundled runner)', () => measureIdle({ ...IDLE, bundle })),
        timed('idle (npm run headless)', () => measureIdle(IDLE)),
        timed('idle floor (zod, fetch, WebSocket)', () => measureIdleFloor(IDLE)),
      ])
        .then(([bundled, npm, floor]) => {
          m.idle = bundled;
          m.idleDev = npm;
          m.idleFloor = floor;
        })
        .finally(() => rmSync(dirname(bundle), { recursive: true, force: true })),
    );
  }
  if (only.has('poll'))
    together.push(
      timed('poll latency', () =>
        measurePollLatency({ samples: POLL_SAMPLES, spacingMs: POLL_SPACING_MS }),
      ).then((r) => {
        m.poll = r;
      }),
    );
  await Promise.all(together);

  if (only.has('catchup')) {
    const lifted: CatchupRun[] = [];
    for (let run = 1; run <= CATCHUP_RUNS; run++)
      lifted.push(
        await timed(`catch-up without a rate limit (${run} of ${CATCHUP_RUNS})`, () =>
          measureCatchup({ ...CATCHUP, limit: 'lifted' }),
        ),
      );
    const limited: CatchupRun = await timed('catch-up with the default rate limit', () =>
      measureCatchup({ ...CATCHUP, limit: 'default' }),
    );
    m.catchup = { lifted, limited };
  }

  const written = writeLatest(toLatest(m, load), full);
  const details = writeDetails(m);
  console.log(table(m));
  console.log();
  console.log(METHOD_NOTES);
  console.log();
  console.log(`machine: ${written.machine?.note ?? ''}`);
  console.log(
    `wrote bench/results/latest.json${full ? '' : ' (merged)'} and ${details.replace(/.*\/bench\//, 'bench/')} ` +
      `in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
