import type { Emulator } from '../../src/emulator/server';
import { loadWorkerConfig } from '../../src/fleet/config';
import { runWorker, type RunWorkerOptions, type RunningWorker } from '../../src/fleet/run-worker';
import { temporalAddress } from './temporal';

type BasetenEndpoints = Pick<Emulator, 'apiKey' | 'managementUrl' | 'inferenceUrl'>;

/** The environment `baseten-cd worker` reads, pointed at the test Temporal server and an emulator. */
export function fleetWorkerEnv(emulator: BasetenEndpoints, taskQueue: string): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    BASETEN_CD_TASK_QUEUE: taskQueue,
    BASETEN_API_KEY: emulator.apiKey,
    BASETEN_API_URL: emulator.managementUrl,
    BASETEN_INFERENCE_URL: emulator.inferenceUrl,
  };
}

/** A fleet worker in this process, configured exactly as `baseten-cd worker` would be from that environment. */
export function startFleetWorker(
  emulator: BasetenEndpoints,
  taskQueue: string,
  options: RunWorkerOptions,
): Promise<RunningWorker> {
  return runWorker(loadWorkerConfig(fleetWorkerEnv(emulator, taskQueue)), options);
}
