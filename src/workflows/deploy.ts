import { ApplicationFailure, allHandlersFinished, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { ApprovalGate } from './approval';
import { approvalReason, failRelease, rejectCandidate } from './endings';
import { progressQuery } from './messages';
import { recordReleaseOutcome } from './metrics';
import { notifyReleaseResult } from './notify';
import { inputProblem } from './release-rules';
import { Release } from './release';
import { revertTo, type Compensation } from './revert';
import { promote, pushAndBuild, recordProduction, settleDevelopmentPromotion, validate } from './steps';
import type { DeployInput, DeployResult } from './types';
import { verifyPromotion } from './verify';

/**
 * One release of a model into an environment: push a candidate, wait until it is ACTIVE, validate it,
 * (wait for approval), promote it and verify production, reverting to the previous production deployment
 * when verification fails. Every step that touches Baseten is an activity; this function only decides.
 */
export async function deployModel(input: DeployInput): Promise<DeployResult> {
  const release = new Release(input);
  setHandler(progressQuery, () => release.progress());
  const gate = new ApprovalGate(release);

  const problem = inputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(`invalid release input: ${problem}`, 'InvalidDeployInput');

  const compensations: Compensation[] = [];
  let result: DeployResult;
  try {
    const candidate = await pushAndBuild(release);

    const report = await validate(release, candidate);
    if (!report.passed) {
      return await finished(
        await rejectCandidate(release, candidate, `validation failed: ${report.reasons.join('; ')}`),
      );
    }

    if (input.approval) {
      const decision = await gate.wait(input.approval.timeoutMs);
      if (!decision?.approved) {
        return await finished(
          await rejectCandidate(release, candidate, approvalReason(decision, input.approval.timeoutMs)),
        );
      }
    }

    const previous = await recordProduction(release, candidate);
    const production = await promote(release, candidate, previous);
    if (previous) {
      compensations.unshift({
        message: `revert ${input.environment} to ${previous}`,
        fn: () => revertTo(release, candidate.modelId, previous),
      });
    }
    if (input.candidate.kind === 'development') {
      await settleDevelopmentPromotion(release, candidate.modelId, production);
    }

    await verifyPromotion(release, candidate.modelId, production);
    result = release.finish('promoted');
  } catch (err) {
    // A cancelled release (superseded by a newer one) leaves production to its successor.
    if (isCancellation(err)) throw err;
    result = await failRelease(release, err, compensations);
  }
  return finished(result);
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
