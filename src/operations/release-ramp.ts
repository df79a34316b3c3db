import type { Client, WorkflowHandle } from '@temporalio/client';
import type { deployModel } from '../workflows/deploy';
import {
  releasePauseUpdate,
  releaseResumeUpdate,
  releaseRollbackUpdate,
  rollForwardUpdate,
} from '../workflows/messages';
import type { ReleaseProgress, RollForwardRequest } from '../workflows/types';
import type { PauseRequest, ResumeRequest, RollbackRequest } from '../workflows/watch-types';
import { queryProgress } from './progress-query';
import { refusedAsUsage } from './watchers';
import { describeWorkflow } from './workflow-lookup';

export type ReleaseHandle = WorkflowHandle<typeof deployModel>;

/** What operators can do to a rolling release while it ramps (each refused in one usage line otherwise). */
export type RampAction =
  | { kind: 'pause'; request: PauseRequest }
  | { kind: 'resume'; request: ResumeRequest }
  | { kind: 'rollback'; request: RollbackRequest }
  | { kind: 'roll-forward'; request: RollForwardRequest };

/** The running release's handle while its rolling promotion ramps (or is held), else undefined. */
export async function rampingRelease(client: Client, workflowId: string): Promise<ReleaseHandle | undefined> {
  const description = await describeWorkflow(client, workflowId);
  if (description?.status.name !== 'RUNNING') return undefined;
  const handle = client.workflow.getHandle<typeof deployModel>(workflowId, description.runId);
  const state = (await queryProgress(handle))?.rollout?.state;
  return state === 'ramping' || state === 'held' ? handle : undefined;
}

/** Sends a ramp control to the release; answers with its progress once the release has recorded it. */
export function controlRamp(handle: ReleaseHandle, action: RampAction): Promise<ReleaseProgress> {
  const send = (): Promise<ReleaseProgress> => {
    switch (action.kind) {
      case 'pause':
        return handle.executeUpdate(releasePauseUpdate, { args: [action.request] });
      case 'resume':
        return handle.executeUpdate(releaseResumeUpdate, { args: [action.request] });
      case 'rollback':
        return handle.executeUpdate(releaseRollbackUpdate, { args: [action.request] });
      case 'roll-forward':
        return handle.executeUpdate(rollForwardUpdate, { args: [action.request] });
    }
  };
  return refusedAsUsage(action.kind, handle, send);
}
