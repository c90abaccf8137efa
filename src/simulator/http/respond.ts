// Small helpers that write JSON, empty and error responses.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { errorBody } from './errors.ts';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, headers);
  res.end();
}

export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code?: string,
  headers: Record<string, string> = {},
): void {
  const contextId = randomUUID();
  sendJson(res, status, errorBody(status, message, code, contextId), {
    'ININ-Correlation-Id': contextId,
    ...headers,
  });
}

export function sendHtml(res: ServerResponse, status: number, title: string, text: string): void {
  if (res.headersSent || res.writableEnded) return;
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(html)),
  });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
