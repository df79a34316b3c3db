import path from 'node:path';
import { prepareTrussEnvironment, trussRemoteName } from '../../../src/emulator/push/truss-env';
import type { RunningWorker } from '../../../src/fleet/run-worker';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { startFleetWorker } from '../../support/fleet-worker';
import { tempDir } from '../../support/temp-dirs';
import { uniqueId } from '../../support/temporal';

/**
 * Everything a release needs, real and local: the emulator (with the truss CLI pointed at it), a fleet worker
 * on its own task queue, and the environment a CI job would give `baseten-cd deploy`.
 */
export interface ReleaseEnvironment {
  emulator: TestEmulator;
  worker: RunningWorker;
  /** Environment for the CLI child: Temporal, the fleet's task queue, and truss's remote `local`. */
  cliEnv: NodeJS.ProcessEnv;
  workDir: string;
  close(): Promise<void>;
}

export async function startReleaseEnvironment(): Promise<ReleaseEnvironment> {
  const workDir = tempDir('e2e-release');
  const emulator = await startTestEmulator();
  const trussEnv = await prepareTrussEnvironment(
    { port: emulator.emulator.port, apiKey: emulator.emulator.apiKey },
    path.join(workDir, 'truss-home'),
  );
  const taskQueue = uniqueId('fleet');
  const worker = await startFleetWorker(emulator.emulator, taskQueue, { poll: { initialMs: 100, maxMs: 500 } });
  return {
    emulator,
    worker,
    workDir,
    cliEnv: { ...trussEnv, BASETEN_CD_TASK_QUEUE: taskQueue, TRUSS_REMOTE: trussRemoteName },
    async close() {
      await worker.shutdown();
      await emulator.close();
    },
  };
}
