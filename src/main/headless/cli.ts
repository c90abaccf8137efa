// `npm run headless -- --env <region or base URL> [--login-hint <user>]`: the engine without Electron.
import { parseArgs, USAGE, UsageError } from './args.ts';
import { runHeadless } from './run.ts';
import { errorText } from '../../shared/errors.ts';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`${err.message}\n\n`);
      process.stderr.write(`${USAGE}\n`);
      process.exit(err.message ? 2 : 0);
    }
    throw err;
  }
  const run = await runHeadless(args, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void run.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', () => {
    // Keep watching after stdin closes (a pipe may end early); quit on a signal.
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`headless: ${errorText(err)}\n`);
  process.exit(1);
});
