// Command line: runs the simulator standalone until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { CONTROL_TOKEN_HEADER, isValidControlToken } from './http/guard.ts';
import { startSimulator } from './index.ts';
import { resolveVariants } from './variants.ts';

const USAGE =
  'Usage: simulator [--port <n>] [--seed <n>] [--traffic] [--refresh-tokens] [--variant <name>=<value>]... [--quiet] [--control-token <secret>]\n' +
  '  --control-token  the secret the control interface (/_sim) asks for in its x-sim-control-token\n' +
  '                   header (16-200 characters of A-Z a-z 0-9 . _ ~ -); default: a new random one';

async function main(): Promise<void> {
  let values: {
    port?: string;
    seed?: string;
    traffic?: boolean;
    'refresh-tokens'?: boolean;
    variant?: string[];
    quiet?: boolean;
    help?: boolean;
    'control-token'?: string;
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
        'control-token': { type: 'string' },
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
  const token = values['control-token'];
  if (token !== undefined && !isValidControlToken(token)) {
    console.error(`Invalid --control-token.\n${USAGE}`);
    process.exit(2);
  }
  const sim = await startSimulator({
    port,
    seed,
    traffic: values.traffic ?? false,
    issueRefreshTokens: values['refresh-tokens'] ?? false,
    variants,
    quiet: values.quiet ?? false,
    ...(token !== undefined ? { controlToken: token } : {}),
  });
  console.log(`Genesys Cloud simulator listening on ${sim.url}`);
  console.log(
    `Control interface: ${sim.url}/_sim/... with header ${CONTROL_TOKEN_HEADER}: ${sim.controlToken}`,
  );
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
