// Command-line options of the headless runner, parsed with Node's own `util.parseArgs`.
import { parseArgs as parseNodeArgs } from 'node:util';
import { ProxyAddressSchema } from '../../shared/proxy.ts';
import { errorText } from '../../shared/errors.ts';

export interface HeadlessArgs {
  env: string;
  loginHint?: string;
  clientId: string;
  port: number;
  /** Where state is kept; absent: the per-user data folder (see data-dir.ts). */
  dataDir?: string;
  /** A throwaway data folder, removed at exit. */
  ephemeral: boolean;
  secrets: 'keyring' | 'memory';
  /** auto: the runner walks the sign-in itself (a local simulator); print: a person opens the URL. */
  signIn: 'auto' | 'print';
  /** A proxy (`host:port`) instead of HTTPS_PROXY / HTTP_PROXY. */
  proxy?: string;
  /** Send loopback addresses through the proxy too (to test a proxy against the simulator). */
  proxyLoopback?: boolean;
}

export const USAGE = `Usage: npm run headless -- --env <region or base URL> [options]

  --env <env>          a Genesys Cloud region (mypurecloud.ie, ...) or a base URL (the simulator:
                       http://127.0.0.1:4010)
  --client-id <id>     OAuth client id (Code Authorization + PKCE); required except for a local
                       simulator, where any id works
  --login-hint <user>  the user to sign in as (simulator: a demo user's id or email)
  --port <n>           loopback port of the redirect URI (default 8765; 0 = any, simulator only)
  --data-dir <dir>     where state is kept (default: the per-user data folder, one folder per
                       environment; see the README)
  --ephemeral          keep state in a throwaway folder, removed at exit (every start is a first run)
  --secrets <where>    keyring (default for regions) or memory (default for a local simulator)
  --sign-in <how>      auto (default for a local simulator: signs in by itself, also when the
                       session ends) or print (prints the sign-in URL for a browser)
  --proxy <host:port>  the proxy for every connection (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY;
                       a proxy sign-in goes in the URL: HTTPS_PROXY=http://user:password@host:port)
  --proxy-loopback     send loopback addresses (the simulator) through the proxy too

Reads actions as JSON lines on stdin, writes notifications, state and results as JSON lines on stdout.`;

/** A loopback simulator (http, or https in the certificate tests): any client id works and the runner can sign in by itself. */
export function isLocalEnvironment(env: string): boolean {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(env.trim());
}

export function parseArgs(argv: string[]): HeadlessArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseNodeArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        env: { type: 'string' },
        'login-hint': { type: 'string' },
        'client-id': { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        ephemeral: { type: 'boolean' },
        secrets: { type: 'string' },
        'sign-in': { type: 'string' },
        proxy: { type: 'string' },
        'proxy-loopback': { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(errorText(err));
  }
  if (values['help']) throw new UsageError('');
  const text = (key: string): string | undefined => {
    const v = values[key];
    if (typeof v !== 'string') return undefined;
    if (!v.trim()) throw new UsageError(`--${key} needs a value`);
    return v.trim();
  };
  const env = text('env');
  if (!env) throw new UsageError('--env is required');
  const local = isLocalEnvironment(env);
  const clientId = text('client-id');
  // Checked here, before anything opens the keyring or a port: a real org needs its own client.
  if (!clientId && !local) {
    throw new UsageError(
      `--client-id is required for ${env}: the id of the OAuth client (Code Authorization + PKCE) ` +
        'registered in Genesys Cloud Admin. See "Connecting a real Genesys Cloud org" in the README.',
    );
  }
  const port = Number(text('port') ?? (local ? '0' : '8765'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  const secrets = text('secrets') ?? (local ? 'memory' : 'keyring');
  if (secrets !== 'keyring' && secrets !== 'memory') throw new UsageError('--secrets is keyring or memory');
  const signIn = text('sign-in') ?? (local ? 'auto' : 'print');
  if (signIn !== 'auto' && signIn !== 'print') throw new UsageError('--sign-in is auto or print');
  if (signIn === 'auto' && !local) {
    throw new UsageError('--sign-in auto works only with a local simulator; a real org needs a browser');
  }
  const dataDir = text('data-dir');
  const ephemeral = values['ephemeral'] === true;
  if (ephemeral && dataDir) throw new UsageError('--ephemeral and --data-dir exclude each other');
  const loginHint = text('login-hint');
  const proxy = text('proxy');
  if (proxy !== undefined && !ProxyAddressSchema.safeParse(proxy).success) {
    throw new UsageError('--proxy is host:port, like proxy.example.com:8080');
  }
  return {
    env,
    clientId: clientId ?? 'genesys-chat-tray',
    port,
    secrets,
    signIn,
    ephemeral,
    ...(loginHint ? { loginHint } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(proxy ? { proxy: proxy.trim() } : {}),
    ...(values['proxy-loopback'] === true ? { proxyLoopback: true } : {}),
  };
}

export class UsageError extends Error {}
