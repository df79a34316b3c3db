import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { EmulatorContext } from '../context';
import type { CreateDeploymentInput } from '../lifecycle/service';
import type { DeploymentV1, ModelV1 } from '../state/views';
import { unpackArchive } from './archive';
import { UploadStore } from './upload-store';

const stores = new WeakMap<EmulatorContext, UploadStore>();

/** The one upload store of an emulator, shared by its GraphQL, S3 and REST push fronts. */
export function uploadStoreFor(ctx: EmulatorContext): UploadStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new UploadStore(path.join(ctx.options.stateDir, 'uploads'));
    stores.set(ctx, store);
  }
  return store;
}

/**
 * Turns an uploaded archive into a deployment: unpack it, hand the folder to the lifecycle service
 * (which copies it into the deployment's own folder), and drop the unpacked copy.
 */
export async function deployUpload(
  ctx: EmulatorContext,
  s3Key: string,
  input: Omit<CreateDeploymentInput, 'trussDir'>,
): Promise<{ model: ModelV1; deployment: DeploymentV1 }> {
  const archive = await uploadStoreFor(ctx).archivePath(s3Key);
  const trussDir = path.join(ctx.options.stateDir, 'unpacked', randomUUID());
  try {
    await unpackArchive(archive, trussDir);
    return ctx.service.createDeployment({ ...input, trussDir });
  } finally {
    await rm(trussDir, { recursive: true, force: true });
  }
}

/** Labels as the service stores them (strings); truss and REST clients may send any JSON values. */
export function stringLabels(labels: Record<string, unknown> | null | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  return Object.fromEntries(
    Object.entries(labels).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}
