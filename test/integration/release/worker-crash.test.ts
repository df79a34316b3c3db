import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../../src/tools/paths';
import type { deployModel } from '../../../src/workflows/deploy';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { createEmulatorPushWorker } from './emulator-push';
import { decodedHistoryText } from './histories';
import { releaseInput, textTransformDir } from './release-harness';

/** `baseten-cd worker` as an operator runs it, in its own process; resolves once it polls. */
async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--', path.join(projectRoot, 'bin', 'baseten-cd.js'), 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 90 s:\n${output}`)), 90_000);
    const onData = () => {
      if (!output.includes('polling task queue')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before polling:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

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
