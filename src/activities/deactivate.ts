import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions } from './heartbeat';

export interface DeactivateInput {
  modelId: string;
  deploymentId: string;
}

export function createDeactivateActivities(deps: ActivityDeps) {
  const { baseten } = resolveDeps(deps);
  return {
    /** Frees a rejected candidate's resources; a deployment already (being) deactivated is left alone. */
    deactivateDeployment: mapBasetenErrors(async (input: DeactivateInput): Promise<{ deactivated: boolean }> => {
      const deployment = await baseten.getDeployment(input.modelId, input.deploymentId, attemptCallOptions());
      if (deployment.status === 'INACTIVE' || deployment.status === 'DEACTIVATING') return { deactivated: false };
      await baseten.deactivateDeployment(input.modelId, input.deploymentId, attemptCallOptions());
      return { deactivated: true };
    }),
  };
}
