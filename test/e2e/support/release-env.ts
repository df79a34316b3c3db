import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareTrussEnvironment, trussRemoteName } from '../../../src/emulator/push/truss-env';
import { projectRoot } from '../../../src/tools/paths';
import { loadWorkerConfig } from '../../../src/worker/config';
import { runWorker, type RunningWorker } from '../../../src/worker/run-worker';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { temporalAddress, uniqueId } from '../../support/temporal';

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
  /** Copies examples/<name> into the work dir under a new folder; `edit` may rewrite config.yaml. */
  copyExample(name: string, edit?: (config: string) => string): Promise<string>;
  close(): Promise<void>;
}

export async function startReleaseEnvironment(): Promise<ReleaseEnvironment> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'e2e-release-'));
  const emulator = await startTestEmulator();
  const trussEnv = await prepareTrussEnvironment(
    { port: emulator.emulator.port, apiKey: emulator.emulator.apiKey },
    path.join(workDir, 'truss-home'),
  );
  const taskQueue = uniqueId('fleet');
  const worker = await runWorker(
    loadWorkerConfig({
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE,
      BASETEN_CD_TASK_QUEUE: taskQueue,
      BASETEN_API_KEY: emulator.emulator.apiKey,
      BASETEN_API_URL: emulator.emulator.managementUrl,
      BASETEN_INFERENCE_URL: emulator.emulator.inferenceUrl,
    }),
    { poll: { initialMs: 100, maxMs: 500 } },
  );
  let copies = 0;
  return {
    emulator,
    worker,
    workDir,
    cliEnv: { ...trussEnv, BASETEN_CD_TASK_QUEUE: taskQueue, TRUSS_REMOTE: trussRemoteName },
    async copyExample(name, edit) {
      const target = path.join(workDir, `${name}-${++copies}`);
      await cp(path.join(projectRoot, 'examples', name), target, { recursive: true });
      if (edit) {
        const config = path.join(target, 'config.yaml');
        await writeFile(config, edit(await readFile(config, 'utf8')));
      }
      return target;
    },
    async close() {
      await worker.shutdown();
      await emulator.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
