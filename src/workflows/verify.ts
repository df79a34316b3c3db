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

/**
 * Checks the end state; throws VerificationFailedError (a verdict) when it does not hold within the deadline.
 * `summary` says in the UI what is being checked.
 */
export async function verifyEnvironment(plan: VerifyPlan, summary: string): Promise<void> {
  const result = await verifyProduction(summary, {
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
  const smoke = smokeCheck(input.validation);
  await verifyEnvironment(
    { modelId, environment: input.environment, deploymentId, smoke, timeoutMs: releaseTimeouts(input).verifyMs },
    `verify that ${input.environment} serves ${deploymentId}, ACTIVE${smoke ? `, and answers "${smoke.caseName}"` : ''}`,
  );
}
