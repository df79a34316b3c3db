import { ParentClosePolicy, WorkflowIdReusePolicy, log, patched, startChild, workflowInfo } from '@temporalio/workflow';
import type { RetireWatcherResult } from '../activities/retire-watcher';
import { watcherWorkflowId } from '../common/workflow-ids';
import { retireWatcher } from './activity-proxies';
import { Patch } from './patches';
import type { Release } from './release';
import { releaseTimeouts, smokeCheck, watchSettings, watcherTarget } from './release-rules';
import type { DeployResult } from './types';
import { rootFailure } from './verdicts';
import { watchProduction } from './watch';
import { watcherStaticDetails, watcherSummary } from './watch-text';
import type { WatchInput } from './watch-types';

/** How long the running watcher may take to end (it finishes a revert it has started first). */
const retireTimeoutMs = 20 * 60_000;

/**
 * Stops the watcher guarding the environment right before this release promotes (never earlier: while the
 * release validates, the old watcher keeps guarding production). It ends as superseded.
 */
export async function retirePreviousWatcher(release: Release): Promise<RetireWatcherResult | undefined> {
  if (!patched(Patch.watcher)) return undefined;
  const { input } = release;
  release.enter('promoting', `stopping the watcher of ${input.environment} before promoting`);
  const watcherId = watcherWorkflowId(input.modelName, input.environment);
  return retireWatcher(`stop the watcher ${watcherId} before promoting`, {
    watcherId,
    releaseId: workflowInfo().workflowId,
    timeoutMs: retireTimeoutMs,
  });
}

/**
 * Starts the production watcher once the release has ended: on the promoted deployment (falling back to the one
 * before it), on the restored deployment after a verified revert, or again on what the stopped watcher guarded
 * when the release failed before its promotion. It is a child that outlives the release (ParentClosePolicy.ABANDON).
 */
export async function startWatcher(
  release: Release,
  result: DeployResult,
  retired: RetireWatcherResult | undefined,
): Promise<DeployResult> {
  const { input } = release;
  if (!result.modelId || !patched(Patch.watcher)) return result;
  const target = watcherTarget(input, result, retired);
  if (!target) return result;
  const workflowId = watcherWorkflowId(input.modelName, input.environment);
  const timeouts = releaseTimeouts(input);
  const watchInput: WatchInput = {
    modelId: result.modelId,
    modelName: input.modelName,
    environment: input.environment,
    deploymentId: target.deploymentId,
    fallbackDeploymentId: target.fallbackDeploymentId,
    settings: watchSettings(input),
    verifyCheck: smokeCheck(input.validation),
    releaseId: workflowInfo().workflowId,
    timeouts: {
      prepareMs: timeouts.prepareMs,
      verifyMs: timeouts.verifyMs,
      cancelPromotionMs: timeouts.cancelPromotionMs,
      gracefulCancelMs: timeouts.gracefulCancelMs,
    },
  };
  try {
    await startChild(watchProduction, {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      args: [watchInput],
      staticSummary: watcherSummary(watchInput),
      staticDetails: watcherStaticDetails(watchInput, workflowInfo().namespace),
    });
  } catch (err) {
    // Another watcher runs already (started outside this release): it keeps guarding; the release is done anyway.
    const { message } = rootFailure(err);
    log.warn(`the production watcher was not started: ${message}`);
    release.note({ message: `the production watcher was not started: ${message}` });
    return result;
  }
  release.note({ watcherId: workflowId, message: `watching ${input.environment}: ${workflowId}` });
  return { ...result, watcherId: workflowId };
}
