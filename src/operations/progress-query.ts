import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../workflows/messages';
import type { ReleaseProgress } from '../workflows/types';

/** A query needs a worker to answer; do not let a missing fleet hang the CLI. */
const queryTimeoutMs = 5000;

/** The release's progress, or undefined when no worker answered in time (the caller tries again later). */
export async function queryProgress(handle: WorkflowHandle): Promise<ReleaseProgress | undefined> {
  try {
    return await handle.client.withDeadline(Date.now() + queryTimeoutMs, () => handle.query(progressQuery));
  } catch {
    return undefined;
  }
}
