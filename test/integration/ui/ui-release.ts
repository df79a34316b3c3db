import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { loadWorkerConfig } from '../../../src/fleet/config';
import { runWorker, type RunningWorker } from '../../../src/fleet/run-worker';
import { projectRoot } from '../../../src/tools/paths';
import { loadValidationFile } from '../../../src/validation/load';
import type { deployModel } from '../../../src/workflows/deploy';
import { approveUpdate, stateQuery, supersedeSignal } from '../../../src/workflows/messages';
import { releaseMetadata } from '../../../src/workflows/release-text';
import type { DeployInput, DeployResult } from '../../../src/workflows/types';
import type { watchProduction } from '../../../src/workflows/watch';
import type { WatchState } from '../../../src/workflows/watch-types';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { waitForStage } from '../../support/release-stage';
import { uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { createEmulatorPushWorker } from '../release/emulator-push';
import { releaseInput, textTransformDir } from '../release/release-harness';

// The story the UI tests look at: a real release (push, validation with latency sampling against the example's
// budgets, an approval gate, promotion, verification) that starts a real watcher, which then reverts production
// by itself when the emulator makes the new deployment UNHEALTHY. Everything runs for real: the Temporal server,
// the fleet worker with the real activities, the emulator with real model processes.

export const exampleValidationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');

/** A fleet worker, a push worker and an emulator on the Temporal server `temporal` is connected to. */
export interface UiStack {
  temporal: TemporalTestContext;
  emu: TestEmulator;
  namespace: string;
  taskQueue: string;
  pushTaskQueue: string;
  close(): Promise<void>;
}

export async function startUiStack(temporal: TemporalTestContext, address: string): Promise<UiStack> {
  const emu = await startTestEmulator();
  const namespace = temporal.client.options.namespace;
  const taskQueue = uniqueId('fleet');
  const pushTaskQueue = uniqueId('push');
  let fleet: RunningWorker;
  try {
    const env = {
      ...fleetWorkerEnv(emu.emulator, taskQueue),
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
    };
    fleet = await runWorker(loadWorkerConfig(env), { poll: { initialMs: 50, maxMs: 250 } });
  } catch (err) {
    await emu.close();
    throw err;
  }
  const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
  const pushRun = pushWorker.run();
  return {
    temporal,
    emu,
    namespace,
    taskQueue,
    pushTaskQueue,
    async close() {
      pushWorker.shutdown();
      await Promise.allSettled([pushRun, fleet.shutdown()]);
      await emu.close();
    },
  };
}

export interface ReleasedModel {
  modelName: string;
  input: DeployInput;
  release: WorkflowHandle<typeof deployModel>;
  result: DeployResult;
  watcher: WorkflowHandle<typeof watchProduction>;
  /** Production before the release: where the watcher reverts to. */
  previousId: string;
  candidateId: string;
}

/**
 * Seeds production, then releases the text-transform example over it as `baseten-cd deploy` starts a release (with
 * its summary and details), approved at the gate, and returns once the release has promoted and its watcher runs.
 */
export async function releaseWithWatcher(stack: UiStack, gitCommit: string): Promise<ReleasedModel> {
  const modelName = uniqueId('text-transform');
  const seeded = await stack.emu.control.createDeployment({ trussDir: textTransformDir, modelName });
  await stack.emu.waitForStatus(seeded.model.id, seeded.deployment.id, 'ACTIVE');
  const validation = await loadValidationFile(exampleValidationFile);
  const input = releaseInput(stack.pushTaskQueue, {
    modelName,
    gitCommit,
    // The ratio to production depends on how busy the machine is (the benchmark's business): still compared, never
    // refused; the page shows the example's absolute budgets, which these tests read.
    validation: {
      ...validation,
      compareWithProduction: { percentile: 'p50', ...validation.compareWithProduction, maxLatencyRatio: 1_000_000 },
    },
    approval: { required: true, timeoutMs: 30 * 60_000 },
    // The watcher looks every second and reverts after two bad looks, so the test does not wait long.
    watch: { intervalMs: 1_000, unhealthyAfter: 2 },
  });
  const release = await stack.temporal.client.workflow.start<typeof deployModel>('deployModel', {
    workflowId: `release-${modelName}-production`,
    taskQueue: stack.taskQueue,
    args: [input],
    ...releaseMetadata(input, stack.namespace),
  });
  await waitForStage(release, 'awaiting-approval', 120_000);
  await release.executeUpdate(approveUpdate, { args: [{ by: 'ana', reason: 'validation numbers look good' }] });
  const result = await release.result();
  if (result.status !== 'promoted' || !result.watcherId || !result.candidateDeploymentId) {
    throw new Error(`the release did not promote and start a watcher: ${JSON.stringify(result)}`);
  }
  return {
    modelName,
    input,
    release,
    result,
    watcher: stack.temporal.client.workflow.getHandle<typeof watchProduction>(result.watcherId),
    previousId: seeded.deployment.id,
    candidateId: result.candidateDeploymentId,
  };
}

/** Makes the promoted deployment UNHEALTHY and waits until the watcher has reverted production by itself. */
export async function revertByWatcher(stack: UiStack, released: ReleasedModel): Promise<WatchState> {
  await stack.emu.control.makeUnhealthy(released.candidateId);
  return watcherState(released.watcher, 'the watcher to revert production after the fault', (s) =>
    s.incidents.some((i) => i.kind === 'automatic' && i.outcome === 'reverted'),
  );
}

export async function watcherState(
  watcher: WorkflowHandle<typeof watchProduction>,
  what: string,
  check: (state: WatchState) => boolean,
): Promise<WatchState> {
  let last: WatchState | undefined;
  return waitFor(
    () =>
      `${what} (last state: ${last ? `${last.stage}, ${last.message ?? ''}; ignored signals: ${JSON.stringify(last.rejectedSignals)}` : 'none'})`,
    async () => {
      last = await watcher.query(stateQuery).catch(() => last);
      return last !== undefined && check(last) && last;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** Ends a watcher left running as a newer release would, so it does not keep observing after the test. */
export async function endWatcher(watcher: WorkflowHandle<typeof watchProduction> | undefined): Promise<void> {
  const running = await watcher?.describe().catch(() => undefined);
  if (!watcher || running?.status.name !== 'RUNNING') return;
  await watcher.signal(supersedeSignal, { by: 'the end of the test' });
  await watcher.result();
}
