import { heartbeat } from '@temporalio/activity';
import type { DeploymentStatus } from '../baseten/schemas';
import type { InferenceTarget } from '../baseten/inference-target';
import { resolveDeps, type ActivityDeps } from './deps';
import { failureStatuses } from './deployment-wait';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions } from './heartbeat';
import { PollLoop } from './poll-loop';
import { currentProduction } from './production';
import { runSmoke, smokeAttemptsSoFar, type SmokeCheck, type SmokeCheckpoint } from './smoke';

export interface VerifyInput {
  modelId: string;
  environment: string;
  /** The deployment that must be serving the environment. */
  deploymentId: string;
  /** Sent to `smokeTarget` once the environment serves the deployment; skipped when absent. */
  smoke?: SmokeCheck;
  /** The inference target that serves the environment. */
  smokeTarget: InferenceTarget;
  /** How long production may take to switch to the deployment and become ACTIVE. @unit ms */
  timeoutMs: number;
}

export interface VerifyResult {
  verified: boolean;
  /** Why verification failed, in one line. */
  reason?: string;
  /** What serves the environment at the end of the check. */
  productionDeploymentId?: string;
  status?: DeploymentStatus;
}

/** What verification records in every heartbeat: its start (kept across retries), what it saw, smoke predictions sent. */
interface VerifyCheckpoint extends Partial<SmokeCheckpoint> {
  startedAt: number;
  productionDeploymentId?: string;
  status?: DeploymentStatus;
}

/** A deployment with no replica is not broken: it needs waking, then it serves. */
const wakeable: ReadonlySet<DeploymentStatus> = new Set<DeploymentStatus>(['SCALED_TO_ZERO', 'WAKING_UP']);

export function createVerifyProductionActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  const { baseten } = resolved;
  return {
    /**
     * Checks the end state, not the promote call's answer: the environment serves the deployment, it is
     * ACTIVE (woken first when it scaled to zero), and it answers the smoke case. A mismatch is a verdict
     * (verified: false), not an exception. Every read heartbeats, so the deadline (not the heartbeat timeout)
     * decides, even while the environment has no deployment at all.
     */
    verifyProduction: mapBasetenErrors(async (input: VerifyInput): Promise<VerifyResult> => {
      const loop = new PollLoop(resolved, input.timeoutMs);
      // Smoke predictions an earlier attempt sent stay counted even while this one is still polling.
      const sentBefore = smokeAttemptsSoFar();
      const beat = (extra: Omit<VerifyCheckpoint, 'startedAt'> = {}): void =>
        heartbeat({
          startedAt: loop.startedAt,
          ...(sentBefore > 0 ? { smokeAttempts: sentBefore } : {}),
          ...extra,
        } satisfies VerifyCheckpoint);
      let woken = false;
      for (;;) {
        const current = await currentProduction(baseten, input.modelId, input.environment, attemptCallOptions());
        const observed = { productionDeploymentId: current?.id, status: current?.status };
        beat(observed);
        const isTarget = current?.id === input.deploymentId;
        if (isTarget && current.status === 'ACTIVE') break;
        if (isTarget && current.status === 'SCALED_TO_ZERO' && !woken) {
          await baseten.wake(input.modelId, { kind: 'deployment', deploymentId: current.id }, attemptCallOptions());
          woken = true;
        } else if (isTarget && !wakeable.has(current.status) && failureStatuses.has(current.status)) {
          return {
            verified: false,
            ...observed,
            reason: `${input.environment} deployment ${current.id} is ${current.status}`,
          };
        }
        if (loop.expired) {
          const actual = current ? `${current.id} (${current.status})` : 'no deployment';
          return {
            verified: false,
            ...observed,
            reason: `${input.environment} serves ${actual}, not ${input.deploymentId} ACTIVE, after ${Math.round(input.timeoutMs / 1000)} s`,
          };
        }
        await loop.pause();
      }
      const observed = { productionDeploymentId: input.deploymentId, status: 'ACTIVE' as const };
      if (!input.smoke) return { verified: true, ...observed };
      const smoke = { modelId: input.modelId, target: input.smokeTarget, smoke: input.smoke };
      const outcome = await runSmoke(resolved, smoke, (sent) => beat({ ...observed, ...sent }));
      return outcome.ok ? { verified: true, ...observed } : { verified: false, ...observed, reason: outcome.reason };
    }),
  };
}
