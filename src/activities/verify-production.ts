import { heartbeat } from '@temporalio/activity';
import type { DeploymentStatus } from '../baseten/schemas';
import type { InferenceTarget } from '../baseten/inference-target';
import { nextPollDelay, resolveDeps, type ActivityDeps } from './deps';
import { failureStatuses, waitStartedAt, type WaitCheckpoint } from './deployment-wait';
import { mapBasetenErrors } from './failures';
import { currentProduction } from './production';
import { runSmoke, type SmokeCheck } from './smoke';

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

export function createVerifyProductionActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  const { baseten, clock, sleep, poll } = resolved;
  return {
    /**
     * Checks the end state, not the promote call's answer: the environment serves the deployment, it is
     * ACTIVE, and it answers the smoke case. A mismatch is a verdict (verified: false), not an exception.
     */
    verifyProduction: mapBasetenErrors(async (input: VerifyInput): Promise<VerifyResult> => {
      const startedAt = waitStartedAt(resolved);
      const deadline = startedAt + input.timeoutMs;
      let delay: number | undefined;
      for (;;) {
        const current = await currentProduction(baseten, input.modelId, input.environment);
        const observed = { productionDeploymentId: current?.id, status: current?.status };
        if (current) heartbeat({ status: current.status, startedAt } satisfies WaitCheckpoint);
        const isTarget = current?.id === input.deploymentId;
        if (isTarget && current.status === 'ACTIVE') break;
        if (isTarget && failureStatuses.has(current.status)) {
          return {
            verified: false,
            ...observed,
            reason: `${input.environment} deployment ${current.id} is ${current.status}`,
          };
        }
        const remaining = deadline - clock();
        if (remaining <= 0) {
          const actual = current ? `${current.id} (${current.status})` : 'no deployment';
          return {
            verified: false,
            ...observed,
            reason: `${input.environment} serves ${actual}, not ${input.deploymentId} ACTIVE, after ${Math.round(input.timeoutMs / 1000)} s`,
          };
        }
        delay = nextPollDelay(delay, poll);
        await sleep(Math.min(delay, remaining));
      }
      const observed = { productionDeploymentId: input.deploymentId, status: 'ACTIVE' as const };
      if (!input.smoke) return { verified: true, ...observed };
      const outcome = await runSmoke(resolved, {
        modelId: input.modelId,
        target: input.smokeTarget,
        smoke: input.smoke,
      });
      return outcome.ok ? { verified: true, ...observed } : { verified: false, ...observed, reason: outcome.reason };
    }),
  };
}
