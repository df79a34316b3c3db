import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import { FailureType } from '../common/failure-types';
import { ApprovalGate } from './approval';
import { approvalReason, failRelease, rejectCandidate, releaseFailure, type ReleaseEnding } from './endings';
import { progressQuery } from './messages';
import { recordReleaseOutcome } from './metrics';
import { notifyReleaseResult } from './notify';
import { inputProblem } from './release-rules';
import { Release } from './release';
import { retirePreviousWatcher, startWatcher } from './release-watcher';
import { revertTo, type Compensation } from './revert';
import { planRollingPromotion, rollOut } from './rollout';
import { RolloutControls } from './rollout-controls';
import {
  prepareCandidate,
  promote,
  pushAndBuild,
  recordProduction,
  settleDevelopmentPromotion,
  validate,
  type Candidate,
} from './steps';
import type { DeployInput, DeployResult } from './types';
import { verifyPromotion } from './verify';

/**
 * One release of a model into an environment: push a candidate, wait until it is ACTIVE, validate it,
 * (wait for approval), promote it and verify production, reverting to the previous production deployment
 * when the promotion or its verification fails. Every step that touches Baseten is an activity; this function
 * only decides.
 */
export async function deployModel(input: DeployInput): Promise<DeployResult> {
  const release = new Release(input);
  setHandler(progressQuery, () => release.progress(), {
    description: 'Where the release is: stage, candidate, production, validation numbers.',
  });
  const gate = new ApprovalGate(release);
  const controls = new RolloutControls(release);

  const problem = inputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(`invalid release input: ${problem}`, FailureType.InvalidInput);

  let candidate: Candidate;
  try {
    candidate = await pushAndBuild(release);
    const refusal = await acceptance(release, gate, candidate);
    if (refusal !== undefined) return await finished(await rejectCandidate(release, candidate, refusal));
  } catch (err) {
    // Cancelled before its promotion (superseded by a newer release): production was never touched.
    if (isCancellation(err)) throw err;
    return ended(await failRelease(release, err, []));
  }
  // From the promotion on, the release finishes what it started even when cancelled: a promotion half done, or
  // the revert of one, is never abandoned (a superseding release waits for this one to end).
  return CancellationScope.nonCancellable(() => promoteAndVerify(release, candidate, controls));
}

/** Validation, then the approval gate when the release has one: undefined lets the candidate through. */
async function acceptance(release: Release, gate: ApprovalGate, candidate: Candidate): Promise<string | undefined> {
  const report = await validate(release, candidate);
  if (!report.passed) return `validation failed: ${report.reasons.join('; ')}`;
  const { approval } = release.input;
  if (!approval) return undefined;
  const decision = await gate.wait(approval.timeoutMs);
  return decision?.approved ? undefined : approvalReason(decision, approval.timeoutMs);
}

/**
 * Stops the watcher guarding production, promotes the accepted candidate (a traffic step at a time, each analysed,
 * when the environment promotes rolling) and verifies production, then starts the watcher anew. The revert is
 * registered before the promote call, not after it succeeds: a promote that lands but whose activity then fails
 * still gets reverted (the revert reads before it writes, so it is harmless when the promote never happened).
 */
async function promoteAndVerify(
  release: Release,
  candidate: Candidate,
  controls: RolloutControls,
): Promise<DeployResult> {
  const { input } = release;
  const compensations: Compensation[] = [];
  let ending: ReleaseEnding;
  let retired: Awaited<ReturnType<typeof retirePreviousWatcher>>;
  try {
    retired = await retirePreviousWatcher(release);
  } catch (err) {
    // The old watcher did not step aside in time: nothing was promoted.
    return ended(await failRelease(release, err, []));
  }
  try {
    const previous = await recordProduction(release, candidate);
    await prepareCandidate(release, candidate);
    if (previous) {
      compensations.unshift({
        message: `revert ${input.environment} to ${previous}`,
        fn: () => revertTo(release, candidate.modelId, previous),
      });
    }
    const rollout = await planRollingPromotion(release, candidate, previous);
    const production = await promote(release, candidate, previous);
    // A rolling promotion moves traffic in steps: each is analysed before the next may happen.
    if (rollout?.rolling && previous) await rollOut(release, candidate, previous, rollout, controls);
    if (input.candidate.kind === 'development') {
      await settleDevelopmentPromotion(release, candidate.modelId, production);
    }
    await verifyPromotion(release, candidate.modelId, production);
    ending = { result: release.finish('promoted') };
  } catch (err) {
    ending = await failRelease(release, err, compensations);
  }
  const result = await startWatcher(release, ending.result, retired);
  return ended({ ...ending, result });
}

/** Reports a release's end: its result, or the workflow's failure for an infrastructure problem. */
async function ended(ending: ReleaseEnding): Promise<DeployResult> {
  const result = await finished(ending.result);
  if (ending.infrastructureError !== undefined) throw releaseFailure(ending);
  return result;
}

/**
 * Every release result passes here: it is counted (metrics), notified (webhook; never fails the release),
 * and in-flight update handlers answer before the workflow completes.
 */
async function finished(result: DeployResult): Promise<DeployResult> {
  recordReleaseOutcome(result);
  await notifyReleaseResult(result);
  await condition(allHandlersFinished);
  return result;
}
