import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** Upload credentials as Baseten issues them (STS-style, scoped to one key of one bucket). */
export interface UploadGrant {
  bucket: string;
  key: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The emulator's S3: archives uploaded by `truss push` (or the REST push flow) land here, under the
 * state directory. Only keys handed out by `grant()` accept uploads, as with Baseten's scoped
 * credentials, which also keeps client-chosen paths out of the file system.
 */
export class UploadStore {
  readonly bucket = 'baseten-cd-emulator-uploads';
  readonly region = 'us-east-1';
  private readonly accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  private readonly grants = new Set<string>();
  private readonly multipart = new Map<string, { key: string; etags: Map<number, string> }>();

  constructor(private readonly root: string) {}

  grant(): UploadGrant {
    const key = `models/${randomUUID()}/truss.tgz`;
    this.grants.add(key);
    return {
      bucket: this.bucket,
      key,
      region: this.region,
      accessKeyId: this.accessKeyId,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(32).toString('base64'),
    };
  }

  /** Throws unless the request is signed with our key id for a granted key of our bucket. */
  authorize(bucket: string, key: string, authorization: string | undefined): void {
    if (bucket !== this.bucket) throw new UploadError(404, 'NoSuchBucket', `no bucket ${bucket}`);
    const keyId = /Credential=([^/]+)\//.exec(authorization ?? '')?.[1];
    if (keyId !== this.accessKeyId || !this.grants.has(key))
      throw new UploadError(403, 'AccessDenied', `these credentials may not write ${key}`);
  }

  /** Stores a whole object; returns its ETag (quoted MD5, as S3 does). */
  async put(key: string, body: Readable): Promise<string> {
    const file = this.objectPath(key);
    await mkdir(path.dirname(file), { recursive: true });
    return writeHashed(file, body);
  }

  startMultipart(key: string): string {
    const uploadId = randomUUID();
    this.multipart.set(uploadId, { key, etags: new Map() });
    return uploadId;
  }

  async putPart(key: string, uploadId: string, partNumber: number, body: Readable): Promise<string> {
    const dir = this.partsDir(key, uploadId);
    await mkdir(dir, { recursive: true });
    const etag = await writeHashed(partFile(dir, partNumber), body);
    this.multipart.get(uploadId)?.etags.set(partNumber, etag);
    return etag;
  }

  /** Joins the parts in part-number order; returns the multipart ETag. */
  async completeMultipart(key: string, uploadId: string): Promise<string> {
    const dir = this.partsDir(key, uploadId);
    const parts = [...(this.multipart.get(uploadId)?.etags ?? [])].sort(([a], [b]) => a - b);
    if (parts.length === 0) throw new UploadError(400, 'InvalidRequest', 'no parts were uploaded');
    const file = this.objectPath(key);
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file);
    for (const [partNumber] of parts) await pipeline(createReadStream(partFile(dir, partNumber)), out, { end: false });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    this.multipart.delete(uploadId);
    await rm(dir, { recursive: true, force: true });
    // S3's multipart ETag: the MD5 of the parts' binary MD5s, then "-<part count>".
    const joined = createHash('md5');
    for (const [, etag] of parts) joined.update(Buffer.from(etag.replaceAll('"', ''), 'hex'));
    return `"${joined.digest('hex')}-${parts.length}"`;
  }

  /** The stored archive for a granted key, or an error saying why there is none. */
  async archivePath(key: string): Promise<string> {
    if (!this.grants.has(key)) throw new UploadError(400, 'InvalidKey', `s3_key ${key} was not issued by this server`);
    const file = this.objectPath(key);
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) throw new UploadError(400, 'NoSuchKey', `nothing was uploaded to s3_key ${key}`);
    return file;
  }

  private partsDir(key: string, uploadId: string): string {
    if (this.multipart.get(uploadId)?.key !== key)
      throw new UploadError(404, 'NoSuchUpload', `no multipart upload ${uploadId} for ${key}`);
    return path.join(this.root, 'multipart', uploadId);
  }

  private objectPath(key: string): string {
    // Granted keys are `models/<uuid>/truss.tgz`, so joining them cannot leave the root.
    return path.join(this.root, 'objects', key);
  }
}

function partFile(dir: string, partNumber: number): string {
  return path.join(dir, String(partNumber));
}

async function writeHashed(file: string, body: Readable): Promise<string> {
  const hash = createHash('md5');
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(body, createWriteStream(file));
  return `"${hash.digest('hex')}"`;
}
