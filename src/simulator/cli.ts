// Command line: runs the simulator standalone until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSimulator } from './index.ts';
import { resolveVariants } from './variants.ts';

const USAGE =
  'Usage: simulator [--port <n>] [--seed <n>] [--traffic] [--refresh-tokens] [--variant <name>=<value>]... [--quiet]';

async function main(): Promise<void> {
  let values: {
    port?: string;
    seed?: string;
    traffic?: boolean;
    'refresh-tokens'?: boolean;
    variant?: string[];
    quiet?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        traffic: { type: 'boolean' },
        'refresh-tokens': { type: 'boolean' },
        variant: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isFinite(seed)) {
    console.error(`Invalid --port or --seed.\n${USAGE}`);
    process.exit(2);
  }
  // --variant rosterOrder=shuffled: one of the answers to undocumented behaviour (variants.ts).
  let variants;
  try {
    variants = resolveVariants(
      Object.fromEntries(
        (values.variant ?? []).map((v) => [v.split('=')[0], v.split('=').slice(1).join('=')]),
      ),
    );
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const sim = await startSimulator({
    port,
    seed,
    traffic: values.traffic ?? false,
    issueRefreshTokens: values['refresh-tokens'] ?? false,
    variants,
    quiet: values.quiet ?? false,
  });
  console.log(`Genesys Cloud simulator listening on ${sim.url}`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
