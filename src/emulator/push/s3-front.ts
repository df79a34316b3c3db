import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import { isNamedLocalHost, type Front } from '../http/front';
import type { EmulatorRequest } from '../http/request';
import { UploadError, type UploadStore } from './upload-store';
import { uploadStoreFor } from './uploads';

/**
 * The S3 endpoint that boto3 (inside `truss push`) uploads archives to, path-style:
 * `PUT /<bucket>/<key>` for small archives, and the multipart trio (`POST ?uploads`,
 * `PUT ?partNumber&uploadId`, `POST ?uploadId`) above boto3's 8 MiB threshold.
 */
export function s3Front(ctx: EmulatorContext): Front {
  const store = uploadStoreFor(ctx);
  return {
    name: 's3',
    matches: (req) => !isNamedLocalHost(req.target.hostname) && req.target.pathname.startsWith(`/${store.bucket}/`),
    handle: (req, res) => handleS3(store, req, res),
  };
}

async function handleS3(store: UploadStore, req: EmulatorRequest, res: ServerResponse): Promise<void> {
  try {
    await route(store, req, res);
  } catch (err) {
    req.raw.resume(); // drain an unread body so the connection can be reused
    const failure =
      err instanceof UploadError ? err : new UploadError(500, 'InternalError', (err as Error).message ?? String(err));
    sendXml(
      res,
      failure.status,
      `<Error><Code>${failure.code}</Code><Message>${xml(failure.message)}</Message></Error>`,
    );
  }
}

async function route(store: UploadStore, req: EmulatorRequest, res: ServerResponse): Promise<void> {
  const { pathname, query } = req.target;
  const [bucket = '', ...rest] = pathname.slice(1).split('/');
  const key = decodeURIComponent(rest.join('/'));
  store.authorize(bucket, key, req.raw.headers.authorization);
  const uploadId = query.get('uploadId');
  const partNumber = query.get('partNumber');

  if (req.method === 'PUT' && uploadId !== null && partNumber !== null) {
    const part = Number(partNumber);
    if (!Number.isInteger(part) || part < 1 || part > 10_000)
      throw new UploadError(400, 'InvalidArgument', `partNumber must be 1..10000, got ${partNumber}`);
    sendEmpty(res, await store.putPart(key, uploadId, part, req.raw));
  } else if (req.method === 'PUT') {
    sendEmpty(res, await store.put(key, req.raw));
  } else if (req.method === 'POST' && query.has('uploads')) {
    req.raw.resume();
    const id = store.startMultipart(key);
    sendXml(
      res,
      200,
      `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xml(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
    );
  } else if (req.method === 'POST' && uploadId !== null) {
    req.raw.resume(); // the part list; we join every part we received, in order
    const etag = await store.completeMultipart(key, uploadId);
    sendXml(
      res,
      200,
      `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xml(key)}</Key><ETag>${xml(etag)}</ETag></CompleteMultipartUploadResult>`,
    );
  } else {
    throw new UploadError(405, 'MethodNotAllowed', `${req.method ?? '?'} is not supported here`);
  }
}

function sendEmpty(res: ServerResponse, etag: string): void {
  res.writeHead(200, { ETag: etag, 'Content-Length': '0' }).end();
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
