// Command-line options of the headless runner.
import { ProxyAddressSchema } from '../../shared/proxy.ts';

export interface HeadlessArgs {
  env: string;
  loginHint?: string;
  clientId: string;
  port: number;
  dataDir?: string;
  secrets: 'keyring' | 'memory';
  /** A proxy (`host:port`) instead of HTTPS_PROXY / HTTP_PROXY. */
  proxy?: string;
  /** Send loopback addresses through the proxy too (to test a proxy against the simulator). */
  proxyLoopback?: boolean;
}

export const USAGE = `Usage: npm run headless -- --env <region or base URL> [options]

  --env <env>          a Genesys Cloud region (mypurecloud.ie, ...) or a base URL (the simulator:
                       http://127.0.0.1:4010)
  --login-hint <user>  the user to sign in as (simulator: a demo user's id or email)
  --client-id <id>     OAuth client id (Code Authorization + PKCE); any id works on the simulator
  --port <n>           loopback port of the redirect URI (default 8765; 0 = any, simulator only)
  --data-dir <dir>     where state is kept (default: a fresh temporary folder)
  --secrets <where>    keyring (default for regions) or memory (default for the simulator)
  --proxy <host:port>  the proxy for every connection (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY;
                       a proxy sign-in goes in the URL: HTTPS_PROXY=http://user:password@host:port)
  --proxy-loopback     send loopback addresses (the simulator) through the proxy too

Reads actions as JSON lines on stdin, writes notifications, state and results as JSON lines on stdout.`;

export function parseArgs(argv: string[]): HeadlessArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!;
    if (key === '--help' || key === '-h') throw new UsageError('');
    if (key === '--proxy-loopback') {
      flags.add(key.slice(2));
      continue;
    }
    if (!key.startsWith('--')) throw new UsageError(`Unexpected argument: ${key}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${key} needs a value`);
    values.set(key.slice(2), value);
    i++;
  }
  const known = new Set(['env', 'login-hint', 'client-id', 'port', 'data-dir', 'secrets', 'proxy']);
  for (const k of values.keys()) if (!known.has(k)) throw new UsageError(`Unknown option --${k}`);
  const env = values.get('env');
  if (!env) throw new UsageError('--env is required');
  const local = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?/.test(env);
  const port = Number(values.get('port') ?? (local ? '0' : '8765'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  const secrets = values.get('secrets') ?? (local ? 'memory' : 'keyring');
  if (secrets !== 'keyring' && secrets !== 'memory') throw new UsageError('--secrets is keyring or memory');
  const loginHint = values.get('login-hint');
  const dataDir = values.get('data-dir');
  const proxy = values.get('proxy');
  if (proxy !== undefined && !ProxyAddressSchema.safeParse(proxy).success) {
    throw new UsageError('--proxy is host:port, like proxy.example.com:8080');
  }
  return {
    env,
    clientId: values.get('client-id') ?? 'genesys-chat-tray',
    port,
    secrets,
    ...(loginHint ? { loginHint } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(proxy ? { proxy: proxy.trim() } : {}),
    ...(flags.has('proxy-loopback') ? { proxyLoopback: true } : {}),
  };
}

export class UsageError extends Error {}
