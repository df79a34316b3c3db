import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { projectRoot } from '../../../src/tools/paths';
import { validationSpecSchema } from '../../../src/validation/schema';
import type { deployModel } from '../../../src/workflows/deploy';
import type { DeployInput } from '../../../src/workflows/types';
import type { RunWorkerOptions, RunningWorker } from '../../../src/fleet/run-worker';
import type { EmulatorOptions } from '../../../src/emulator/options';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { startFleetWorker } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { createEmulatorPushWorker } from './emulator-push';

export const textTransformDir = path.join(projectRoot, 'examples', 'text-transform');

/** The text-transform cases, without latency sampling (these tests are about the release, not the budget). */
export const textTransformValidation = validationSpecSchema.parse({
  warmup: { requests: 1, timeout: '1m' },
  cases: [
    {
      name: 'normalises whitespace and upper-cases',
      input: { text: '  Hello,   Baseten   world  ' },
      expect: { status: 200, values: [{ path: 'upper', equals: 'HELLO, BASETEN WORLD' }] },
    },
    { name: 'counts words', input: { text: 'a b c' }, expect: { values: [{ path: 'word_count', equals: 3 }] } },
  ],
});

/** Short deadlines: the emulator builds in milliseconds, and a failing verification should not wait long. */
export const testTimeouts = { buildMs: 60_000, verifyMs: 15_000, prepareMs: 60_000 };

export type DeployHandle = WorkflowHandle<typeof deployModel>;

/** A published release of the text-transform example with the test timeouts; `overrides` change any field. */
export function releaseInput(pushTaskQueue: string, overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    modelName: uniqueId('tt'),
    environment: 'production',
    candidate: { kind: 'published' },
    trussDir: textTransformDir,
    pushTaskQueue,
    validation: textTransformValidation,
    cleanupOnReject: false,
    timeouts: testTimeouts,
    ...overrides,
  };
}

/**
 * Everything a release needs, for real: the Temporal dev server, a fleet worker started by runWorker with
 * the real activities and Baseten client, a push worker on its own task queue, and an emulator.
 */
export interface ReleaseHarness {
  temporal: TemporalTestContext;
  emu: TestEmulator;
  taskQueue: string;
  pushTaskQueue: string;
  validation: typeof textTransformValidation;
  /** Every release started through `start`, for the history checks. */
  handles: DeployHandle[];
  start(overrides?: Partial<DeployInput>, workflowId?: string): Promise<DeployHandle>;
  /** Deploys a Truss directly (as production's seed), waits until it is ACTIVE and returns its ids. */
  seed(modelName: string): Promise<{ modelId: string; deploymentId: string }>;
  close(): Promise<void>;
}

export async function startReleaseHarness(
  options: { emulator?: EmulatorOptions; worker?: RunWorkerOptions } = {},
): Promise<ReleaseHarness> {
  const temporal = await connectTemporal();
  const emu = await startTestEmulator(options.emulator).catch(async (err: unknown) => {
    await temporal.close();
    throw err;
  });
  const taskQueue = uniqueId('fleet');
  const pushTaskQueue = uniqueId('push');
  const fleet: RunningWorker = await startFleetWorker(emu.emulator, taskQueue, {
    poll: { initialMs: 50, maxMs: 250 },
    ...options.worker,
  }).catch(async (err: unknown) => {
    await Promise.allSettled([emu.close(), temporal.close()]);
    throw err;
  });
  const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
  const pushRun = pushWorker.run();
  const handles: DeployHandle[] = [];

  return {
    temporal,
    emu,
    taskQueue,
    pushTaskQueue,
    validation: textTransformValidation,
    handles,
    async start(overrides = {}, workflowId = uniqueId('release')) {
      const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
        args: [releaseInput(pushTaskQueue, overrides)],
        taskQueue,
        workflowId,
      });
      handles.push(handle);
      return handle;
    },
    async seed(modelName) {
      const { model, deployment } = await emu.control.createDeployment({ trussDir: textTransformDir, modelName });
      await emu.waitForStatus(model.id, deployment.id, 'ACTIVE');
      return { modelId: model.id, deploymentId: deployment.id };
    },
    async close() {
      pushWorker.shutdown();
      await Promise.allSettled([pushRun, fleet.shutdown()]);
      await emu.close();
      await temporal.close();
    },
  };
}
