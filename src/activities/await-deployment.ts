import type { Deployment } from '../baseten/schemas';
import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { waitForActive, type WaitForActiveInput } from './deployment-wait';

export type AwaitDeploymentInput = WaitForActiveInput;

export interface AwaitDeploymentResult {
  deploymentId: string;
  status: Deployment['status'];
}

export function createAwaitDeploymentActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  return {
    /** Waits until a deployment is ACTIVE; fails fast, non-retryably, when it fails to build or deploy. */
    awaitDeploymentActive: mapBasetenErrors(async (input: AwaitDeploymentInput): Promise<AwaitDeploymentResult> => {
      const deployment = await waitForActive(resolved, input);
      return { deploymentId: deployment.id, status: deployment.status };
    }),
  };
}
