import type { ServerResponse } from 'node:http';
import type { EmulatorLogger } from '../options';
import { HttpError } from './http-error';

export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, reply: JsonReply): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(text ? { 'content-type': 'application/json' } : {}),
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/**
 * The one place errors become responses: an HttpError answers with its own status and body;
 * anything else is a bug in the emulator, logged and answered as a 500 in the front's error shape.
 */
export function errorReply(
  err: unknown,
  internalBody: (message: string) => Record<string, unknown>,
  logger: Pick<EmulatorLogger, 'error'>,
): JsonReply {
  if (err instanceof HttpError) return { status: err.status, body: err.body, headers: err.headers };
  const message = err instanceof Error ? err.message : String(err);
  logger.error(`internal error: ${err instanceof Error && err.stack ? err.stack : message}`);
  return { status: 500, body: internalBody(message) };
}
