import type { BasetenClient } from '../src/baseten/client';
import type { EmulatorControl } from '../src/emulator/control-client';

export interface DeployedModel {
  modelId: string;
  deploymentId: string;
}

const activeTimeoutMs = 120_000;
const pollMs = 100;

/**
 * Deploys a Truss straight into the emulator (no Temporal, no truss CLI: the benchmarks using it measure
 * inference and the management API) and waits until the deployment is ACTIVE, its model process loaded.
 */
export async function deployActive(
  control: EmulatorControl,
  baseten: BasetenClient,
  trussDir: string,
  modelName: string,
): Promise<DeployedModel> {
  const { model, deployment } = await control.createDeployment({ trussDir, modelName });
  const deadline = Date.now() + activeTimeoutMs;
  for (;;) {
    const { status } = await baseten.getDeployment(model.id, deployment.id);
    if (status === 'ACTIVE') return { modelId: model.id, deploymentId: deployment.id };
    if (status.endsWith('FAILED')) throw new Error(`deployment ${deployment.id} of ${trussDir} is ${status}`);
    if (Date.now() > deadline) {
      throw new Error(
        `deployment ${deployment.id} of ${trussDir} is still ${status} after ${activeTimeoutMs / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
