import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../common/failure-types';
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
      await deactivateDeployment(`deactivate the rejected candidate ${candidate.deploymentId}`, {
        modelId: candidate.modelId,
        deploymentId: candidate.deploymentId,
      });
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

/** How a release ends: its result, and for an infrastructure failure (no verdict) the error that caused it. */
export interface ReleaseEnding {
  result: DeployResult;
  /** Set when the workflow must fail (with this cause, and the result in the failure's details). */
  infrastructureError?: unknown;
}

/**
 * Ends a failed release: undo what was done (revert production), then report. Verdicts about the candidate
 * (build, deploy or verification failures) are results the CLI maps to exit codes; anything else is an
 * infrastructure failure and fails the workflow, after the same compensation, with the same result in the
 * failure's details. `reverted` is true only when a revert ran and verified production on the previous deployment.
 */
export async function failRelease(
  release: Release,
  err: unknown,
  compensations: readonly Compensation[],
): Promise<ReleaseEnding> {
  const failedStage = release.stage;
  const cause = rootFailure(err);
  const revertErrors = await compensate(compensations);
  const promotionAttempted = release.facts.promotionAttempted === true;
  const reverted = compensations.length > 0 && revertErrors.length === 0;
  const { environment } = release.input;
  const parts = [`${failedStage}: ${cause.message}`, ...revertErrors.map((e) => `revert failed: ${e}`)];
  if (reverted) parts.push(`${environment} reverted to ${release.facts.previousProductionDeploymentId}`);
  else if (promotionAttempted) parts.push(notRevertedNote(release, compensations.length > 0));
  const result = release.finish('failed', {
    reason: oneLine(parts.join('; ')),
    failedStage,
    reverted,
    promotionAttempted,
    failureType: cause.type,
  });
  return isVerdict(err) ? { result } : { result, infrastructureError: err };
}

/** The workflow failure of a release that ended for an infrastructure problem: its details carry the result. */
export function releaseFailure(ending: ReleaseEnding): ApplicationFailure {
  const { result, infrastructureError: err } = ending;
  return ApplicationFailure.create({
    message: result.reason ?? 'the release failed',
    type: FailureType.ReleaseFailed,
    nonRetryable: true,
    cause: err instanceof Error ? err : undefined,
    details: [result],
  });
}

function notRevertedNote(release: Release, hadRevert: boolean): string {
  const { environment } = release.input;
  const candidate = release.facts.productionDeploymentId ?? release.facts.candidateDeploymentId ?? 'the candidate';
  const why = hadRevert ? 'the revert failed' : 'there is no previous deployment to revert to';
  return `${environment} was NOT reverted (${why}): it may be serving the unverified candidate ${candidate}`;
}
