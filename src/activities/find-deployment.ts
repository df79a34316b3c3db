import type { DeploymentStatus } from '../baseten/schemas';
import { NotFoundError } from '../baseten/errors';
import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions } from './heartbeat';

export interface FindDeploymentInput {
  modelId: string;
  deploymentId: string;
}

/** The deployment's status, or `found: false` when the model has no deployment with that id. */
export type FoundDeployment = { found: true; status: DeploymentStatus } | { found: false };

export function createFindDeploymentActivities(deps: ActivityDeps) {
  const { baseten } = resolveDeps(deps);
  return {
    /** Looks a deployment up before anything is asked of it (a rollback `--to` a deployment that does not exist). */
    findDeployment: mapBasetenErrors(async (input: FindDeploymentInput): Promise<FoundDeployment> => {
      try {
        const deployment = await baseten.getDeployment(input.modelId, input.deploymentId, attemptCallOptions());
        return { found: true, status: deployment.status };
      } catch (err) {
        if (err instanceof NotFoundError) return { found: false };
        throw err;
      }
    }),
  };
}
