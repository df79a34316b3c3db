import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { waitForActive, type WaitForActiveInput } from './deployment-wait';
import type { AwaitDeploymentResult } from './await-deployment';

export type PrepareInput = WaitForActiveInput;

export function createPrepareForTrafficActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  return {
    /**
     * Makes a deployment able to take traffic before anything is promoted back onto it: activates it when
     * INACTIVE, wakes it when scaled to zero, and waits until it is ACTIVE.
     */
    prepareForTraffic: mapBasetenErrors(async (input: PrepareInput): Promise<AwaitDeploymentResult> => {
      const deployment = await waitForActive(resolved, input, { activateInactive: true });
      return { deploymentId: deployment.id, status: deployment.status };
    }),
  };
}
