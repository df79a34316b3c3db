import { Worker, type NativeConnection } from '@temporalio/worker';
import type { EmulatorControl } from '../../../src/emulator/control-client';
import type { PushInput, PushResult } from '../../../src/activities/push-types';

/**
 * Test stand-in for the push activity: creates the candidate in the emulator from the Truss folder, as a
 * `truss push` would (the real truss path is covered by the push and e2e tests). Same name, input and result.
 */
export function createEmulatorPushActivities(control: EmulatorControl) {
  return {
    async pushCandidate(input: PushInput): Promise<PushResult> {
      const { candidate } = input;
      const { model, deployment } = await control.createDeployment({
        trussDir: input.trussDir,
        modelName: input.modelName,
        isDevelopment: candidate.kind === 'development' ? true : undefined,
        environmentName: candidate.kind === 'environment' ? candidate.name : undefined,
        deploymentName: input.deploymentName,
        labels: input.labels,
      });
      return { modelId: model.id, modelName: model.name, deploymentId: deployment.id, candidate };
    },
  };
}

/** A worker hosting the stand-in push activity on `taskQueue`, as `baseten-cd deploy` hosts the real one. */
export function createEmulatorPushWorker(
  connection: NativeConnection,
  control: EmulatorControl,
  taskQueue: string,
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    activities: createEmulatorPushActivities(control),
  });
}
