// Reading request bodies safely: a size cap that stops buffering early, JSON and form parsing.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this many discarded bytes of an oversized upload the connection is cut. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Reads the whole body, refusing (413) anything over `limit` bytes. An announced Content-Length over
 * the limit is refused before reading; a chunked body is refused as soon as it crosses the limit, and
 * the rest is discarded without buffering (the socket is destroyed if the client keeps sending a lot).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    discard(req);
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        cleanup();
        chunks.length = 0;
        discard(req);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (done) return;
      done = true;
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      if (done) return;
      done = true;
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function discard(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, `The request body exceeds the maximum size of ${limit} bytes.`);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (!header) return undefined;
  return header.split(';')[0]?.trim().toLowerCase() || undefined;
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type === 'application/json' || (type !== undefined && /^application\/[\w.+-]+\+json$/.test(type));
}

/** Parses a JSON body for an endpoint that requires one: 415 for another media type, 400 for bad JSON. */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = mediaType(req);
  if (type !== undefined && !isJsonMediaType(type)) {
    throw new ApiError(415, `Unsupported content type '${type}'. Use application/json.`);
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'A JSON request body is required.', 'bad.request');
  if (type === undefined) throw new ApiError(415, 'Missing Content-Type. Use application/json.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'The request body could not be parsed as JSON.', 'invalid.json');
  }
}

/** Parses an optional JSON body (control routes): empty means `{}`. */
export function parseOptionalJson(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0 || raw.toString('utf8').trim() === '') return {};
  return parseJsonBody(req, raw);
}
