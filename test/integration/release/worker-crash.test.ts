import type { ChildProcess } from 'node:child_process';
import type { deployModel } from '../../../src/workflows/deploy';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { startWorkerProcess, stopProcess as stop } from '../../support/worker-process';
import { createEmulatorPushWorker } from './emulator-push';
import { decodedHistoryText } from './histories';
import { releaseInput, textTransformDir } from './release-harness';

describe('a worker crash in the middle of a release', () => {
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

  it('completes after a new worker takes over, and promotes exactly once', async () => {
    const taskQueue = uniqueId('fleet-crash');
    const pushTaskQueue = uniqueId('push-crash');
    const workerEnv = fleetWorkerEnv(emu.emulator, taskQueue);
    const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
    await pushWorker.runUntil(async () => {
      const { model, deployment: seed } = await emu.control.createDeployment({
        trussDir: textTransformDir,
        modelName: 'tt-crash',
      });
      await emu.waitForStatus(model.id, seed.id, 'ACTIVE');

      const first = await startWorkerProcess(workerEnv);
      children.push(first.child);
      const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
        args: [releaseInput(pushTaskQueue, { modelName: 'tt-crash' })],
        taskQueue,
        workflowId: uniqueId('release-crash'),
      });

      await waitFor(
        () => `a promote call; worker output:\n${first.output()}`,
        async () => (await emu.promoteCalls(model.id)).length > 0,
        { timeoutMs: 90_000, intervalMs: 20 },
      );
      await stop(first.child, 'SIGKILL');

      const second = await startWorkerProcess(workerEnv);
      children.push(second.child);
      const result = await handle.result();

      expect(result.status).toBe('promoted');
      expect(result.previousProductionDeploymentId).toBe(seed.id);
      expect(await emu.productionOf(model.id)).toBe(result.candidateDeploymentId);
      expect(await emu.promoteCalls(model.id)).toHaveLength(1);
      const history = await handle.fetchHistory();
      // The crash is in the history: a workflow task or an activity attempt of the killed worker timed out.
      const timedOut = (history.events ?? []).filter(
        (e) => e.workflowTaskTimedOutEventAttributes || e.activityTaskTimedOutEventAttributes,
      );
      expect(timedOut.length).toBeGreaterThan(0);
      expect(decodedHistoryText(history)).not.toContain(emu.emulator.apiKey);
    });
  }, 240_000);
});
