import type { ChildProcess } from 'node:child_process';
import type { deployModel } from '../../../src/workflows/deploy';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv, startFleetWorker } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { activityAttempts } from '../../support/history-events';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { waitFor } from '../../support/wait-for';
import { startWorkerProcess, stopProcess as stop } from '../../support/worker-process';
import { createEmulatorPushWorker } from './emulator-push';
import { releaseInput, textTransformDir } from './release-harness';

describe('a release whose promote call is interrupted after it landed', () => {
  let temporal: TemporalTestContext;
  let emu: TestEmulator;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    temporal = await connectTemporal();
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => stop(child, 'SIGTERM')));
    await emu?.close();
    await temporal?.close();
  });

  async function seed(modelName: string) {
    const { model, deployment } = await emu.control.createDeployment({ trussDir: textTransformDir, modelName });
    await emu.waitForStatus(model.id, deployment.id, 'ACTIVE');
    return { modelId: model.id, seedId: deployment.id };
  }

  it('completes after the worker is killed between the promote and its answer, and promotes exactly once', async () => {
    const taskQueue = uniqueId('fleet-crash');
    const pushTaskQueue = uniqueId('push-crash');
    const workerEnv = fleetWorkerEnv(emu.emulator, taskQueue);
    const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
    await pushWorker.runUntil(async () => {
      const { modelId, seedId } = await seed('tt-crash');
      // The promote is applied by the emulator, then its answer is held back until the test lets it go.
      const hold = await emu.control.holdManagement({ method: 'POST', path: `/v1/models/${modelId}/**/promote` });

      const first = await startWorkerProcess(workerEnv);
      children.push(first.child);
      const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
        args: [releaseInput(pushTaskQueue, { modelName: 'tt-crash' })],
        taskQueue,
        workflowId: uniqueId('release-crash'),
      });
      await waitFor(
        () => `the promote to be applied and its answer held; worker output:\n${first.output()}`,
        async () => (await emu.control.heldRequests()).some((h) => h.ruleId === hold.id),
        { timeoutMs: 90_000, intervalMs: 20 },
      );
      const candidate = await emu.productionOf(modelId);
      expect(candidate).not.toBe(seedId);

      // The side effect happened; the activity has not completed. Kill the worker now, then let the answer go.
      await stop(first.child, 'SIGKILL');
      await emu.control.removeManagementFault(hold.id);
      await emu.control.releaseHeld();

      const second = await startWorkerProcess(workerEnv);
      children.push(second.child);
      const result = await handle.result();

      expect(result).toMatchObject({ status: 'promoted', previousProductionDeploymentId: seedId });
      expect(await emu.productionOf(modelId)).toBe(result.candidateDeploymentId);
      expect(await emu.promoteCalls(modelId)).toHaveLength(1);
      const history = await handle.fetchHistory();
      // The new worker ran the promote again (a second attempt), and it found the promotion already done.
      expect(Math.max(...activityAttempts(history, 'promoteCandidate'))).toBeGreaterThanOrEqual(2);
      await expectNoSecretInHistory(handle, { mustSee: 'tt-crash' });
    });
  }, 240_000);

  it('never starts a second promote while a slow one is still in flight', async () => {
    const taskQueue = uniqueId('fleet-slow');
    const pushTaskQueue = uniqueId('push-slow');
    const fleet = await startFleetWorker(emu.emulator, taskQueue, { poll: { initialMs: 50, maxMs: 250 } });
    const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
    try {
      await pushWorker.runUntil(async () => {
        const { modelId, seedId } = await seed('tt-slow-promote');
        // Applied at once, answered after longer than the promote's heartbeat timeout (30 s).
        await emu.control.holdManagement({ method: 'POST', path: `/v1/models/${modelId}/**/promote`, holdMs: 35_000 });
        const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
          args: [releaseInput(pushTaskQueue, { modelName: 'tt-slow-promote' })],
          taskQueue,
          workflowId: uniqueId('release-slow'),
        });
        const result = await handle.result();
        expect(result).toMatchObject({ status: 'promoted', previousProductionDeploymentId: seedId });
        expect(await emu.promoteCalls(modelId)).toHaveLength(1);
        expect(await emu.productionOf(modelId)).toBe(result.candidateDeploymentId);
      });
    } finally {
      await fleet.shutdown();
    }
  }, 180_000);
});
