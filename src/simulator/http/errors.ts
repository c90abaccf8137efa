// Genesys-style API errors: an exception type for handlers and the JSON body the platform returns.
import { randomUUID } from 'node:crypto';

/** The JSON body Genesys Cloud returns for an API error. */
export interface GenesysErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: unknown[];
  errors: unknown[];
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad.request',
  401: 'bad.credentials',
  403: 'not.authorized',
  404: 'not.found',
  405: 'method.not.allowed',
  409: 'conflict',
  413: 'request.entity.too.large',
  415: 'unsupported.media.type',
  429: 'too.many.requests',
  500: 'internal.server.error',
  501: 'not.implemented',
  502: 'bad.gateway',
  503: 'service.unavailable',
  504: 'gateway.timeout',
};

/** Thrown by handlers; the server turns it into a Genesys-style JSON response. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, code?: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'server.error' : 'bad.request');
    this.headers = headers ?? {};
  }
}

export function errorBody(
  status: number,
  message: string,
  code?: string,
  contextId?: string,
): GenesysErrorBody {
  return {
    message,
    code: code ?? DEFAULT_CODES[status] ?? 'bad.request',
    status,
    contextId: contextId ?? randomUUID(),
    details: [],
    errors: [],
  };
}

export const badRequest = (message: string, code?: string): ApiError => new ApiError(400, message, code);
export const notFound = (message: string, code?: string): ApiError => new ApiError(404, message, code);
export const forbidden = (message: string, code?: string): ApiError => new ApiError(403, message, code);

/** A client-credentials token has no user; endpoints acting for a user refuse it (as Genesys does). */
export const userContextRequired = (): ApiError =>
  new ApiError(
    400,
    'This request requires a user context. Client credentials cannot be used for requests to this resource.',
    'requires.user.context',
  );
