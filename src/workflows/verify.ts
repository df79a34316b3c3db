import { ApplicationFailure } from '@temporalio/workflow';
import type { SmokeCheck } from '../activities/smoke';
import { FailureType } from '../common/failure-types';
import { verifyProduction } from './activity-proxies';
import { environmentTarget, releaseTimeouts, smokeCheck } from './release-rules';
import type { Release } from './release';

/** What verification checks: the environment serves `deploymentId`, ACTIVE, and answers `smoke`. */
export interface VerifyPlan {
  modelId: string;
  environment: string;
  deploymentId: string;
  smoke?: SmokeCheck;
  timeoutMs: number;
}

/** Checks the end state; throws VerificationFailedError (a verdict) when it does not hold within the deadline. */
export async function verifyEnvironment(plan: VerifyPlan): Promise<void> {
  const result = await verifyProduction({
    modelId: plan.modelId,
    environment: plan.environment,
    deploymentId: plan.deploymentId,
    smoke: plan.smoke,
    smokeTarget: environmentTarget(plan.environment),
    timeoutMs: plan.timeoutMs,
  });
  if (!result.verified) {
    throw ApplicationFailure.nonRetryable(
      result.reason ?? `${plan.environment} did not verify`,
      FailureType.VerificationFailed,
    );
  }
}

/**
 * Checks the end state of a release: the environment serves `deploymentId`, ACTIVE, and production answers the
 * first validation case. Throws VerificationFailedError otherwise (the release then reverts).
 */
export async function verifyPromotion(release: Release, modelId: string, deploymentId: string): Promise<void> {
  const { input } = release;
  release.enter('verifying', `checking that ${input.environment} serves ${deploymentId}`);
  await verifyEnvironment({
    modelId,
    environment: input.environment,
    deploymentId,
    smoke: smokeCheck(input.validation),
    timeoutMs: releaseTimeouts(input).verifyMs,
  });
}
