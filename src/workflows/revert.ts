import { log, patched } from '@temporalio/workflow';
import { cancelPendingPromotion, prepareForTraffic, promoteCandidate } from './activity-proxies';
import { Patch } from './patches';
import { rootFailure } from './verdicts';
import { releaseTimeouts, revertVia } from './release-rules';
import type { Release } from './release';
import { verifyServing } from './verify';

/** An undo step, registered right before the step it undoes (it must be harmless if that step never happened). */
export interface Compensation {
  message: string;
  fn: () => Promise<void>;
}

/**
 * Puts the previous production deployment back: first make it able to take traffic (it was usually scaled
 * to zero or deactivated by the promotion), then promote it (idempotently) and verify it serves.
 */
export async function revertTo(release: Release, modelId: string, previousId: string): Promise<void> {
  const { input } = release;
  const timeouts = releaseTimeouts(input);
  if (patched(Patch.cancelPromotion)) {
    // A promotion still in progress (a development build, a rolling promotion) could switch production to the
    // candidate after the revert: stop it first.
    release.enter('reverting', `cancelling any promotion of ${input.environment} still in progress`);
    await cancelPendingPromotion({
      modelId,
      environment: input.environment,
      keepDeploymentId: previousId,
      gracefulMs: timeouts.gracefulCancelMs,
      timeoutMs: timeouts.cancelPromotionMs,
    });
  }
  release.enter('reverting', `making ${previousId} able to take traffic`);
  await prepareForTraffic({ modelId, deploymentId: previousId, timeoutMs: timeouts.prepareMs });
  release.note({ message: `promoting ${previousId} back to ${input.environment}` });
  await promoteCandidate({
    modelId,
    environment: input.environment,
    target: { kind: 'deployment', deploymentId: previousId },
    via: revertVia(input.environment),
  });
  release.note({ message: `verifying that ${input.environment} serves ${previousId} again` });
  await verifyServing(release, modelId, previousId);
  release.note({ productionDeploymentId: previousId });
}

/** Runs compensations in order (they are unshifted, so newest first), each error logged and kept, never thrown. */
export async function compensate(compensations: readonly Compensation[]): Promise<string[]> {
  const errors: string[] = [];
  for (const compensation of compensations) {
    try {
      await compensation.fn();
    } catch (err) {
      const { message } = rootFailure(err);
      log.error(`compensation failed: ${compensation.message}`, { error: message });
      errors.push(`${compensation.message}: ${message}`);
    }
  }
  return errors;
}
