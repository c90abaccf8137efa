// The one door to the Genesys Cloud REST API: auth header, timeouts, the request budget, retries
// for 429 (honouring Retry-After), 5xx and network errors with jittered backoff, one refresh on
// 401, and validation of every response body before anyone else sees it.
import type { z } from 'zod';
import { NetworkFailure } from '../net/failure.ts';
import type { Priority, RequestBudget } from './budget.ts';
import type { WireStats } from './wire-stats.ts';
import { errorText } from '../../shared/errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export class GenesysError extends Error {
  readonly status: number;
  /** network: no answer; http: a 4xx/5xx answer; bad-response: an answer the app cannot read. */
  readonly kind: 'network' | 'http' | 'bad-response' | 'needs-sign-in' | 'cancelled';
  readonly code: string;
  readonly retryable: boolean;
  constructor(kind: GenesysError['kind'], message: string, status = 0, code = '', retryable = false) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryable = retryable;
  }
}

export interface TokenSource {
  accessToken(): Promise<string>;
  /** The API answered 401 to this token: refresh it, or throw when the user must sign in again. */
  unauthorized(token: string): Promise<void>;
}

export interface HttpOptions {
  apiBase: string;
  tokens: TokenSource;
  budget: RequestBudget;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Backoff base and cap for 5xx and network errors. */
  backoffMs?: { base: number; cap: number };
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  log?: (message: string) => void;
  /** Where answers that fail validation are counted (one per engine). */
  wireStats?: WireStats;
}

export interface RequestSpec<S extends z.ZodType | undefined> {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Schema of the response body; undefined for bodiless answers (204, void). */
  schema: S;
  priority?: Priority;
  signal?: AbortSignal;
  /** Retry 5xx/network failures? Off for requests that are not idempotent unless the caller can dedupe. */
  retryUnsafe?: boolean;
  /** This token instead of the session's (revoking one the session has already forgotten); never refreshed. */
  bearer?: string;
}

type Result<S> = S extends z.ZodType ? z.output<S> : undefined;

const RETRY_AFTER_CAP_MS = 120_000;

export class GenesysHttp {
  private readonly options: Required<Omit<HttpOptions, 'log' | 'wireStats'>> &
    Pick<HttpOptions, 'log' | 'wireStats'>;
  private requests = 0;

  constructor(opts: HttpOptions) {
    this.options = {
      fetch: globalThis.fetch.bind(globalThis),
      timeoutMs: 15_000,
      maxAttempts: 4,
      backoffMs: { base: 500, cap: 30_000 },
      random: Math.random,
      sleep: defaultSleep,
      now: Date.now,
      ...opts,
    };
  }

  /** Requests sent so far (attempts, not calls). */
  get sent(): number {
    return this.requests;
  }

  /**
   * Counts (and logs once per kind, by shape) a value from the wire that does not have the shape the
   * app expects. `kind` names what was expected, without ids: see `routeOf`.
   */
  surprise(kind: string, value: unknown, detail?: string): void {
    if (this.options.wireStats) this.options.wireStats.surprise(kind, value, detail);
    else this.options.log?.(`wire surprise (${kind})${detail ? `: ${detail}` : ''}`);
  }

  async request<S extends z.ZodType | undefined>(spec: RequestSpec<S>): Promise<Result<S>> {
    const idempotent =
      spec.method === 'GET' || spec.method === 'HEAD' || spec.method === 'PUT' || spec.method === 'DELETE';
    const mayRetryFailure = idempotent || spec.retryUnsafe === true;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token =
        spec.bearer ??
        (await this.options.tokens.accessToken().catch((err: unknown) => {
          throw new GenesysError('needs-sign-in', err instanceof Error ? err.message : 'Sign in again.');
        }));
      await this.options.budget.acquire(spec.priority ?? 'background', spec.signal).catch(() => {
        throw new GenesysError('cancelled', 'The request was cancelled.');
      });
      this.requests++;
      let res: Response;
      try {
        res = await this.options.fetch(this.url(spec), {
          method: spec.method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(spec.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
          signal: spec.signal
            ? AbortSignal.any([spec.signal, AbortSignal.timeout(this.options.timeoutMs)])
            : AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (err) {
        if (spec.signal?.aborted) throw new GenesysError('cancelled', 'The request was cancelled.');
        // The network's failures come in words (a proxy, a certificate); those that will not pass by
        // themselves are not retried here (the engine still tries again later, slowly).
        const words =
          err instanceof NetworkFailure ? err.message : `Genesys Cloud did not answer: ${errorText(err)}`;
        const failure = new GenesysError(
          'network',
          words,
          0,
          err instanceof NetworkFailure ? err.kind : '',
          true,
        );
        const passing = !(err instanceof NetworkFailure) || err.transient;
        if (!mayRetryFailure || !passing || attempt >= this.options.maxAttempts) throw failure;
        await this.backoff(attempt, spec.signal);
        continue;
      }

      if (res.status === 401 && !refreshed && spec.bearer === undefined) {
        await drain(res);
        refreshed = true;
        try {
          await this.options.tokens.unauthorized(token);
        } catch (err) {
          throw new GenesysError('needs-sign-in', errorText(err), 401);
        }
        attempt--; // the refresh is not a failed attempt
        continue;
      }
      if (res.status === 429) {
        await drain(res);
        const wait = retryAfterMs(res.headers.get('retry-after'), this.options.now());
        this.options.budget.pauseUntil(this.options.now() + wait);
        this.options.log?.(`http: 429 on ${spec.method} ${spec.path}; waiting ${wait} ms`);
        // A 429 was never applied, so even a POST may be sent again.
        if (attempt >= this.options.maxAttempts + 2)
          throw new GenesysError(
            'http',
            'Genesys Cloud is rate limiting the app.',
            429,
            'too.many.requests',
            true,
          );
        continue;
      }
      if (res.status >= 500) {
        const err = await httpError(res);
        if (!mayRetryFailure || attempt >= this.options.maxAttempts) throw err;
        await this.backoff(attempt, spec.signal);
        continue;
      }
      if (!res.ok) throw await httpError(res);
      return (await this.parse(res, spec)) as Result<S>;
    }
  }

  private url(spec: RequestSpec<z.ZodType | undefined>): string {
    const url = new URL(`${this.options.apiBase}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  private async parse(res: Response, spec: RequestSpec<z.ZodType | undefined>): Promise<unknown> {
    const text = await res.text();
    if (!spec.schema) return undefined;
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      this.surprise(routeOf(spec.method, spec.path), text === '' ? undefined : 'not JSON', 'unreadable JSON');
      throw new GenesysError(
        'bad-response',
        `Genesys Cloud sent unreadable JSON for ${spec.path}.`,
        res.status,
      );
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.surprise(
        routeOf(spec.method, spec.path),
        json,
        issue ? `${safePath(issue.path)} ${issue.message}` : undefined,
      );
      throw new GenesysError(
        'bad-response',
        `Genesys Cloud sent an unexpected answer for ${spec.path}.`,
        res.status,
      );
    }
    return parsed.data;
  }

  private backoff(attempt: number, signal?: AbortSignal): Promise<void> {
    const { base, cap } = this.options.backoffMs;
    const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
    // "Full jitter": spreads retries of many clients after a shared outage.
    return this.options.sleep(Math.round(ceiling / 2 + (this.options.random() * ceiling) / 2), signal);
  }
}

/**
 * `METHOD /path` with every segment that could be data (an id, a jid, an email) replaced by `{id}`:
 * `GET /api/v2/chats/rooms/{id}/messages`. What wire surprises are counted and logged under.
 */
export function routeOf(method: string, path: string): string {
  const template = path
    .split('?')[0]!
    .split('/')
    .map((seg) => (seg === '' || /^v\d+$/.test(seg) || /^[a-z][A-Za-z]{0,39}$/.test(seg) ? seg : '{id}'))
    .join('/');
  return `${method} ${template}`;
}

/** A validation issue's path with map keys (which may be ids) left out. */
function safePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) =>
      typeof p === 'number'
        ? String(p)
        : /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(String(p))
          ? String(p)
          : '<key>',
    )
    .join('.');
}

export function retryAfterMs(header: string | null, now: number): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0)
      return Math.min(RETRY_AFTER_CAP_MS, Math.ceil(seconds * 1000));
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, date - now));
  }
  return 5_000;
}

async function httpError(res: Response): Promise<GenesysError> {
  const text = await res.text().catch(() => '');
  let message = `Genesys Cloud answered HTTP ${res.status}.`;
  let code = '';
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown };
    if (typeof body.message === 'string') message = body.message.slice(0, 500);
    if (typeof body.code === 'string') code = body.code.slice(0, 100);
  } catch {
    // not JSON: keep the generic message
  }
  return new GenesysError('http', message, res.status, code, res.status >= 500 || res.status === 429);
}

async function drain(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new GenesysError('cancelled', 'The request was cancelled.'));
      },
      { once: true },
    );
  });
}
