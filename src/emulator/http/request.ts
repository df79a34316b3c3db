import type { IncomingMessage } from 'node:http';

/** Where a request is going, whether it came in origin-form (`/v1/...`) or absolute-form through a proxy. */
export interface RequestTarget {
  /** Lower-case host name without the port, from the absolute URL or else the Host header. */
  hostname: string;
  /** The port as written in the URL or Host header ('' when absent). */
  port: string;
  pathname: string;
  query: URLSearchParams;
}

export interface EmulatorRequest {
  method: string;
  target: RequestTarget;
  raw: IncomingMessage;
  /** The whole body (read once, cached). */
  body(): Promise<Buffer>;
}

const maxBodyBytes = 64 * 1024 * 1024;

/** A body over the emulator's limit: answered 413, and the connection closed rather than the rest read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Parses the request line's target; a proxy client (truss through HTTP_PROXY) sends `http://host/path`. */
export function parseTarget(req: IncomingMessage): RequestTarget {
  const rawUrl = req.url ?? '/';
  const absolute = /^https?:\/\//i.test(rawUrl);
  let url: URL;
  try {
    url = absolute ? new URL(rawUrl) : new URL(rawUrl, `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL('http://invalid/');
  }
  return { hostname: url.hostname.toLowerCase(), port: url.port, pathname: url.pathname, query: url.searchParams };
}

export function toEmulatorRequest(req: IncomingMessage): EmulatorRequest {
  let body: Promise<Buffer> | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    target: parseTarget(req),
    raw: req,
    body() {
      body ??= readBody(req);
      return body;
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      // Stop buffering; the answer (413) goes out with `connection: close`, which ends the upload.
      req.off('data', onData);
      chunks.length = 0;
      reject(new BodyTooLargeError(`The request body exceeds ${maxBodyBytes} bytes`));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The API key from `Authorization: Api-Key <k>` or `Bearer <k>`, if any. */
export function apiKeyOf(req: EmulatorRequest): string | undefined {
  const header = req.raw.headers.authorization?.trim();
  const match = header ? /^(?:Api-Key|Bearer)\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
