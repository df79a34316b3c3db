import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec, PayloadKeyError } from './codec';
import type { PayloadKeys } from './keys';

/** How the codec server is run: its keys, its token, and the one browser origin it answers. */
export interface CodecServerOptions {
  keys: PayloadKeys;
  /** Every request must carry `Authorization: Bearer <token>`. */
  token: string;
  /** The Temporal UI's origin (`https://host:port`): the only one a browser may call from. */
  allowedOrigin: string;
  /** @default 127.0.0.1 */
  host?: string;
  /** 0 picks a free port. @default 8888 */
  port?: number;
}

export interface CodecServer {
  /** `http://host:port`: give it to the UI ("Remote Codec Endpoint") or to `temporal --codec-endpoint`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A batch is at most what one gRPC message of Temporal's carries. */
const maxBodyBytes = 4 * 1024 * 1024;

// Temporal's remote codec protocol: `{payloads: [{metadata: {key: base64}, data: base64}]}` both ways, as the
// proto JSON form of Payload.
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const bodySchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() })),
});
type WirePayload = z.output<typeof bodySchema>['payloads'][number];

function fromWire(payload: WirePayload): Payload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toWire(payload: Payload): { metadata: Record<string, string>; data: string } {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Compares digests, so the time taken says nothing about how much of a wrong token was right. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A percent-decoded path segment; undefined when it is malformed. */
function pathSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Refusal(413, `the body is over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new Refusal(400, 'the body is not JSON');
  }
}

/**
 * Serves Temporal's remote codec endpoint (`POST /encode`, `POST /decode`, or under `/<token>/` for the UI), so the
 * Temporal UI and CLI can show sealed payloads to whoever holds the token. It refuses, with 401, any request without
 * the token, and gives CORS
 * allowance (preflight included) to the configured UI origin alone; a request from any other origin gets 403.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const codec = new EncryptionCodec(options.keys);
  const cors = {
    'access-control-allow-origin': options.allowedOrigin,
    'access-control-allow-credentials': 'true',
    vary: 'origin',
  };

  async function handle(req: IncomingMessage): Promise<{ status: number; body?: unknown; headers?: object }> {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== options.allowedOrigin) {
      throw new Refusal(403, `origin ${origin} is not allowed`);
    }
    const fromUi = origin !== undefined;
    if (req.method === 'OPTIONS') {
      if (!fromUi) throw new Refusal(400, 'a preflight request needs an Origin');
      return {
        status: 204,
        headers: {
          'access-control-allow-methods': 'POST, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, x-namespace',
          'access-control-max-age': '600',
        },
      };
    }
    // The endpoint is the last segment (Temporal's protocol); the one before it, if any, is the token (below).
    const segments = new URL(req.url ?? '/', 'http://codec').pathname.split('/').filter(Boolean);
    const endpoint = segments.at(-1);
    if ((endpoint !== 'encode' && endpoint !== 'decode') || segments.length > 2) {
      throw new Refusal(404, 'no such endpoint: POST /encode or /decode');
    }
    if (req.method !== 'POST') throw new Refusal(405, `${req.method} is not supported: POST only`, { allow: 'POST' });
    // The Temporal UI cannot send a header of our choosing, so a browser gives the token as the endpoint's path
    // (`http://host:port/<token>`, set in that browser's own codec settings); the CLI sends the header.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const inPath = segments.length === 2 ? pathSegment(segments[0] ?? '') : undefined;
    const auth = bearer ?? inPath;
    if (auth === undefined || !sameToken(auth, options.token)) {
      throw new Refusal(401, 'a valid token is required: Authorization: Bearer <token>', {
        'www-authenticate': 'Bearer',
      });
    }
    const parsed = bodySchema.safeParse(await readBody(req));
    if (!parsed.success) throw new Refusal(400, `expected {"payloads": [...]}: ${parsed.error.issues[0]?.message}`);
    const payloads = parsed.data.payloads.map(fromWire);
    try {
      const done = endpoint === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      return { status: 200, body: { payloads: done.map(toWire) } };
    } catch (err) {
      if (err instanceof PayloadKeyError) throw new Refusal(422, err.message);
      throw err;
    }
  }

  const respond = (res: ServerResponse, fromAllowedOrigin: boolean, status: number, body?: unknown, headers = {}) => {
    res.writeHead(status, {
      ...(fromAllowedOrigin ? cors : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const allowed = req.headers.origin === options.allowedOrigin;
    handle(req).then(
      ({ status, body, headers }) => respond(res, allowed, status, body, headers),
      (err: unknown) => {
        const refusal = err instanceof Refusal ? err : new Refusal(500, 'the codec failed');
        // Drain what the client still sends, so it reads the refusal instead of a reset connection.
        req.resume();
        respond(res, allowed, refusal.status, { error: refusal.message }, refusal.headers);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
