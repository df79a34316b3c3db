import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { UsageError } from '../common/usage-error';
import { describeWorkflow } from './workflow-lookup';
import { pauseUpdate, resumeUpdate, rollbackUpdate, stateQuery } from '../workflows/messages';
import type { watchProduction } from '../workflows/watch';
import type { PauseRequest, ResumeRequest, RollbackRequest, WatchState } from '../workflows/watch-types';

/** A query needs a worker to answer: never let a missing fleet hang the caller. */
const queryTimeoutMs = 5000;

export type WatcherHandle = WorkflowHandle<typeof watchProduction>;

/** The handle of the watcher's running run; a usage error naming it when none runs. */
export async function runningWatcher(client: Client, workflowId: string): Promise<WatcherHandle> {
  const description = await describeWorkflow(client, workflowId);
  if (!description) throw new UsageError(`no watcher ${workflowId} (see \`baseten-cd list --watchers\`)`);
  if (description.status.name !== 'RUNNING') {
    throw new UsageError(`the watcher ${workflowId} is not running (${description.status.name})`);
  }
  return client.workflow.getHandle<typeof watchProduction>(workflowId, description.runId);
}

/** The watcher's state, or undefined when no worker answered in time. */
export async function watcherState(handle: WatcherHandle): Promise<WatchState | undefined> {
  try {
    return await handle.client.withDeadline(Date.now() + queryTimeoutMs, () => handle.query(stateQuery));
  } catch {
    return undefined;
  }
}

/** Reverts production now (the update answers once the revert has run), or refuses in one line. */
export function rollbackWatcher(handle: WatcherHandle, request: RollbackRequest): Promise<WatchState> {
  return refusedAsUsage('roll back', handle, () => handle.executeUpdate(rollbackUpdate, { args: [request] }));
}

/** No automatic revert until resumed; observations go on. */
export function pauseWatcher(handle: WatcherHandle, request: PauseRequest): Promise<WatchState> {
  return refusedAsUsage('pause', handle, () => handle.executeUpdate(pauseUpdate, { args: [request] }));
}

export function resumeWatcher(handle: WatcherHandle, request: ResumeRequest = {}): Promise<WatchState> {
  return refusedAsUsage('resume', handle, () => handle.executeUpdate(resumeUpdate, { args: [request] }));
}

/** A validator refusing (not paused, nothing to roll back to, not ramping, ...) is one usage line; nothing changed. */
export async function refusedAsUsage<T>(
  verb: string,
  handle: { workflowId: string },
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new UsageError(`cannot ${verb} ${handle.workflowId}: ${err.cause?.message ?? err.message}`);
    }
    throw err;
  }
}
