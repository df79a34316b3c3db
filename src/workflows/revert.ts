import { log, patched } from '@temporalio/workflow';
import type { SmokeCheck } from '../activities/smoke';
import { cancelPendingPromotion, prepareForTraffic, promoteCandidate } from './activity-proxies';
import { Patch } from './patches';
import { releaseTimeouts, revertVia, smokeCheck } from './release-rules';
import type { Release } from './release';
import { verifyEnvironment } from './verify';
import { rootFailure } from './verdicts';
import type { RevertTimeouts } from './watch-types';

/** An undo step, registered right before the step it undoes (it must be harmless if that step never happened). */
export interface Compensation {
  message: string;
  fn: () => Promise<void>;
}

/** Where a revert puts production back, and how it checks that it did. */
export interface RevertPlan {
  modelId: string;
  environment: string;
  /** The deployment production goes back to. */
  targetId: string;
  /** Sent to the environment once it serves the target. */
  verifyCheck?: SmokeCheck;
  timeouts: RevertTimeouts;
}

/**
 * Puts `targetId` back in production, onto capacity, for a failed release and for the watcher alike: stop any
 * promotion still in progress, make the target able to take traffic (it was usually scaled to zero or deactivated
 * by the promotion), promote it (idempotently: never twice across crashes), and verify the environment serves it.
 * `say` reports each step.
 */
export async function revertProduction(plan: RevertPlan, say: (step: string) => void): Promise<void> {
  const { modelId, environment, targetId, timeouts } = plan;
  // A promotion still in progress (a development build, a rolling promotion) could switch production to the
  // candidate after the revert: stop it first.
  const cancel = async () => {
    say(`cancelling any promotion of ${environment} still in progress`);
    await cancelPendingPromotion(`cancel any promotion of ${environment} still in progress`, {
      modelId,
      environment,
      keepDeploymentId: targetId,
      gracefulMs: timeouts.gracefulCancelMs,
      timeoutMs: timeouts.cancelPromotionMs,
    });
  };
  const prepare = async () => {
    say(`making ${targetId} able to take traffic`);
    await prepareForTraffic(`wake ${targetId} before the revert`, {
      modelId,
      deploymentId: targetId,
      timeoutMs: timeouts.prepareMs,
    });
  };
  if (patched(Patch.revertPrepAtOnce)) {
    // Neither needs the other (the cancel keeps the target), and both stand before the promote: side by side, the
    // switch waits for the slower one only.
    await Promise.all([cancel(), prepare()]);
  } else {
    if (patched(Patch.cancelPromotion)) await cancel();
    await prepare();
  }
  say(`promoting ${targetId} back to ${environment}`);
  await promoteCandidate(`promote ${targetId} back to ${environment} (revert)`, {
    modelId,
    environment,
    target: { kind: 'deployment', deploymentId: targetId },
    via: revertVia(environment),
  });
  say(`verifying that ${environment} serves ${targetId} again`);
  await verifyEnvironment(
    { modelId, environment, deploymentId: targetId, smoke: plan.verifyCheck, timeoutMs: timeouts.verifyMs },
    `verify that ${environment} serves ${targetId} again, ACTIVE${plan.verifyCheck ? ', and answers' : ''}`,
  );
}

/** A failed release's revert to the production deployment it recorded before promoting. */
export async function revertTo(release: Release, modelId: string, previousId: string): Promise<void> {
  const { input } = release;
  let first = true;
  const say = (step: string): void => {
    if (first) release.enter('reverting', step);
    else release.note({ message: step });
    first = false;
  };
  await revertProduction(
    {
      modelId,
      environment: input.environment,
      targetId: previousId,
      verifyCheck: smokeCheck(input.validation),
      timeouts: releaseTimeouts(input),
    },
    say,
  );
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
