import { ApplicationFailure } from '@temporalio/workflow';
import { deactivateDeployment } from './activity-proxies';
import { isVerdict, oneLine, rootFailure } from './verdicts';
import type { Release } from './release';
import { compensate, type Compensation } from './revert';
import type { Candidate } from './steps';
import type { DeployResult } from './types';

/** Ends a release whose candidate was not accepted; production is untouched (nothing was promoted). */
export async function rejectCandidate(release: Release, candidate: Candidate, reason: string): Promise<DeployResult> {
  let cleanup = '';
  if (release.input.cleanupOnReject) {
    try {
      await deactivateDeployment({ modelId: candidate.modelId, deploymentId: candidate.deploymentId });
      cleanup = `; candidate ${candidate.deploymentId} deactivated`;
    } catch (err) {
      // The verdict stands whatever happens to the cleanup.
      cleanup = `; deactivating candidate ${candidate.deploymentId} failed: ${rootFailure(err).message}`;
    }
  }
  return release.finish('rejected', { reason: oneLine(reason + cleanup) });
}

/** Why an approval gate did not let the release through. */
export function approvalReason(decision: { by?: string; reason?: string } | undefined, timeoutMs: number): string {
  if (!decision) return `not approved within ${Math.round(timeoutMs / 1000)} s`;
  return `rejected at the approval gate${decision.by ? ` by ${decision.by}` : ''}${decision.reason ? `: ${decision.reason}` : ''}`;
}

/**
 * Ends a failed release: undo what was done (revert production), then report. Verdicts about the candidate
 * (build, deploy or verification failures) are results the CLI maps to exit codes; anything else is an
 * infrastructure failure and fails the workflow, after the same compensation.
 */
export async function failRelease(
  release: Release,
  err: unknown,
  compensations: readonly Compensation[],
): Promise<DeployResult> {
  const failedStage = release.stage;
  const cause = rootFailure(err);
  const revertErrors = await compensate(compensations);
  const reverted = compensations.length > 0 && revertErrors.length === 0;
  const reason = oneLine(
    [`${failedStage}: ${cause.message}`, ...revertErrors.map((e) => `revert failed: ${e}`)].join('; ') +
      (reverted ? `; ${release.input.environment} reverted to ${release.facts.previousProductionDeploymentId}` : ''),
  );
  if (isVerdict(err)) return release.finish('failed', { reason, failedStage, reverted, failureType: cause.type });
  release.enter('failed', reason);
  throw ApplicationFailure.create({
    message: reason,
    type: 'ReleaseFailed',
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
    details: [{ failedStage, reverted }],
  });
}
