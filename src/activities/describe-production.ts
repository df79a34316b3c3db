import type { DeploymentStatus } from '../baseten/schemas';
import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions } from './heartbeat';
import { currentProduction } from './production';

export interface DescribeProductionInput {
  modelId: string;
  environment: string;
}

export interface ProductionState {
  deploymentId?: string;
  status?: DeploymentStatus;
}

export function createDescribeProductionActivities(deps: ActivityDeps) {
  const { baseten } = resolveDeps(deps);
  return {
    /** Which deployment serves the environment now (recorded before a promotion, as the revert target). */
    describeProduction: mapBasetenErrors(async (input: DescribeProductionInput): Promise<ProductionState> => {
      const deployment = await currentProduction(baseten, input.modelId, input.environment, attemptCallOptions());
      return deployment ? { deploymentId: deployment.id, status: deployment.status } : {};
    }),
  };
}
