import type { BasetenCd, RampAction } from '../client';
import { watcherPrefix } from '../common/workflow-ids';
import type { Output } from './output';
import { describeRollout } from './rollout-format';
import type { WatcherRefOptions } from './watcher-ref';

/**
 * `pause`, `resume` and `rollback` given a model name reach its release instead of its watcher while the release's
 * rolling promotion ramps. Sends `action` and prints the answer; false (nothing sent) when no release ramps. A
 * rollback then follows the release to its end and sets the exit code: 0 once reverted and verified.
 */
export async function controlRampingRelease(
  cd: BasetenCd,
  ref: string,
  options: WatcherRefOptions,
  out: Output,
  action: RampAction,
): Promise<boolean> {
  if (ref.trim().startsWith(watcherPrefix)) return false;
  const release = cd.release(ref, options.environment);
  if (!(await release.isRamping())) return false;
  const progress = await release.controlRamp(action);
  out.line(`${release.workflowId}: ${action.kind} sent to the rolling release`);
  if (progress.rollout) for (const line of describeRollout(progress.rollout)) out.line(`  ${line}`);
  if (action.kind !== 'rollback') {
    out.result({ workflowId: release.workflowId, progress });
    return true;
  }
  const result = await release.result();
  const reverted = result.reverted === true;
  out.line(
    reverted
      ? `${release.workflowId}: rolled back; ${options.environment} serves ${result.productionDeploymentId} again`
      : `${release.workflowId}: the rollback FAILED: ${result.reason ?? 'unknown reason'}`,
  );
  out.result({ workflowId: release.workflowId, reverted, result });
  process.exitCode = reverted ? 0 : 1;
  return true;
}
