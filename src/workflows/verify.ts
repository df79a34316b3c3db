import { ApplicationFailure } from '@temporalio/workflow';
import { verifyProduction } from './activity-proxies';
import { FailureType } from '../common/failure-types';
import { environmentTarget, releaseTimeouts, smokeCheck } from './release-rules';
import type { Release } from './release';

/**
 * Checks the end state: the environment serves `deploymentId`, ACTIVE, and production answers the first
 * validation case. Throws VerificationFailedError otherwise (the release then reverts).
 */
export async function verifyServing(release: Release, modelId: string, deploymentId: string): Promise<void> {
  const { input } = release;
  const result = await verifyProduction({
    modelId,
    environment: input.environment,
    deploymentId,
    smoke: smokeCheck(input.validation),
    smokeTarget: environmentTarget(input.environment),
    timeoutMs: releaseTimeouts(input).verifyMs,
  });
  if (!result.verified) {
    throw ApplicationFailure.nonRetryable(
      result.reason ?? `${input.environment} did not verify`,
      FailureType.VerificationFailed,
    );
  }
}

export async function verifyPromotion(release: Release, modelId: string, deploymentId: string): Promise<void> {
  release.enter('verifying', `checking that ${release.input.environment} serves ${deploymentId}`);
  await verifyServing(release, modelId, deploymentId);
}
