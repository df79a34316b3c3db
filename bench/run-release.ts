import { performance } from 'node:perf_hooks';
import type { History } from '@temporalio/common/lib/proto-utils';
import { releaseWorkflowId } from '../src/operations/workflow-refs';
import type { deployModel } from '../src/workflows/deploy';
import type { DeployInput, DeployResult } from '../src/workflows/types';
import type { ReleaseRig } from './stack';
import { stageTimes, type StageTimes } from './stage-times';

export interface TimedRelease {
  result: DeployResult;
  /** From the start call to the result, as the CI job sees it. */
  wallMs: number;
  /** Per stage and in all, by the Temporal server's clock. */
  times: StageTimes;
  /** The release's workflow history (activity timings, for the orchestration overhead). */
  history: History;
}

/** Only guards against a hang: a release on the emulator takes seconds. */
const releaseTimeoutMs = 180_000;

/** Starts one release the way `baseten-cd deploy` does (same workflow id), waits for its result and times it. */
export async function runRelease(rig: ReleaseRig, input: Omit<DeployInput, 'pushTaskQueue'>): Promise<TimedRelease> {
  const started = performance.now();
  const handle = await rig.client.workflow.start<typeof deployModel>('deployModel', {
    workflowId: releaseWorkflowId(input.modelName, input.environment),
    taskQueue: rig.fleetTaskQueue,
    args: [{ ...input, pushTaskQueue: rig.pushTaskQueue }],
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`release ${handle.workflowId} did not finish within ${releaseTimeoutMs / 1000} s`)),
      releaseTimeoutMs,
    );
  });
  let result: DeployResult;
  try {
    result = await Promise.race([handle.result(), timedOut]);
  } catch (err) {
    await handle.terminate('bench: the release did not finish in time').catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const wallMs = performance.now() - started;
  const history = await handle.fetchHistory();
  return { result, wallMs, times: stageTimes(history), history };
}
