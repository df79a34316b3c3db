import type { ChildProcess } from 'node:child_process';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import type { deployModel } from '../../../src/workflows/deploy';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { startWorkerProcess, stopProcess } from '../../support/worker-process';
import { createEmulatorPushWorker } from '../release/emulator-push';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { releaseInput } from '../release/release-harness';
import { answeringTruss, answersValidation, fastWatch, watcherWhen } from './watcher-harness';

describe('a worker crash in the middle of a revert', () => {
  let temporal: TemporalTestContext;
  let emu: TestEmulator;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    temporal = await connectTemporal();
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGTERM')));
    await emu?.close();
    await temporal?.close();
  });

  it('is finished by a new worker, with exactly one promote of the previous deployment', async () => {
    const model = uniqueId('revert-crash');
    const taskQueue = uniqueId('fleet');
    const pushTaskQueue = uniqueId('push');
    const workerEnv = fleetWorkerEnv(emu.emulator, taskQueue);
    const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
    await pushWorker.runUntil(async () => {
      const { model: seeded, deployment: v1 } = await emu.control.createDeployment({
        trussDir: answeringTruss(model, 'v1'),
        modelName: model,
      });
      await emu.waitForStatus(seeded.id, v1.id, 'ACTIVE');
      const first = await startWorkerProcess(workerEnv);
      children.push(first.child);
      const v2 = await temporal.client.workflow.execute<typeof deployModel>('deployModel', {
        args: [
          releaseInput(pushTaskQueue, {
            modelName: model,
            trussDir: answeringTruss(model, 'v2'),
            validation: answersValidation,
            watch: fastWatch,
          }),
        ],
        taskQueue,
        workflowId: uniqueId('release'),
      });
      expect(v2).toMatchObject({ status: 'promoted', previousProductionDeploymentId: v1.id });
      await watcherWhen(
        temporal.client,
        model,
        'the watcher',
        (s) => s.watchedDeploymentId === v2.candidateDeploymentId,
      );

      // The revert's promote of v1 is applied by the emulator, then its answer held back.
      const hold = await emu.control.holdManagement({
        method: 'POST',
        path: `/v1/models/${seeded.id}/deployments/${v1.id}/promote`,
      });
      await emu.control.makeUnhealthy(v2.candidateDeploymentId ?? '');
      await waitFor(
        () => `the revert's promote to be applied and held; worker output:\n${first.output()}`,
        async () => (await emu.control.heldRequests()).some((r) => r.ruleId === hold.id),
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      expect(await emu.productionOf(seeded.id)).toBe(v1.id);

      // Between the side effect and the activity's completion: kill the worker, then let the answer go.
      await stopProcess(first.child, 'SIGKILL');
      await emu.control.removeManagementFault(hold.id);
      await emu.control.releaseHeld();
      const second = await startWorkerProcess(workerEnv);
      children.push(second.child);

      const state = await watcherWhen(
        temporal.client,
        model,
        'the revert to finish on the new worker',
        (s) => s.incidents.at(-1)?.outcome === 'reverted',
        120_000,
      );
      expect(state.watchedDeploymentId).toBe(v1.id);
      const promotes = (await emu.promoteCalls(seeded.id)).filter((c) => c.path.includes(`/deployments/${v1.id}/`));
      expect(promotes).toHaveLength(1);
      await expectNoSecretInHistory(temporal.client.workflow.getHandle(watcherWorkflowId(model, 'production')), {
        needle: emu.emulator.apiKey,
        mustSee: v1.id,
      });
    });
  }, 300_000);
});
