import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../../../src/tools/paths';
import type { deployModel } from '../../../src/workflows/deploy';
import type { DeployInput } from '../../../src/workflows/types';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { createEmulatorPushActivities } from './emulator-push';
import { decodedHistoryText } from './histories';
import { testTimeouts, textTransformDir, textTransformValidation } from './release-harness';

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
    const workerEnv = {
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      BASETEN_CD_TASK_QUEUE: taskQueue,
      BASETEN_API_KEY: emu.emulator.apiKey,
      BASETEN_API_URL: emu.emulator.managementUrl,
      BASETEN_INFERENCE_URL: emu.emulator.inferenceUrl,
    };
    const pushWorker = await Worker.create({
      connection: temporal.nativeConnection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: pushTaskQueue,
      activities: createEmulatorPushActivities(emu.control),
    });
    await pushWorker.runUntil(async () => {
      const { model, deployment: seed } = await emu.control.createDeployment({
        trussDir: textTransformDir,
        modelName: 'tt-crash',
      });
      await emu.waitForStatus(model.id, seed.id, 'ACTIVE');

      const first = await startWorkerProcess(workerEnv);
      children.push(first.child);
      const input: DeployInput = {
        modelName: 'tt-crash',
        environment: 'production',
        candidate: { kind: 'published' },
        trussDir: textTransformDir,
        pushTaskQueue,
        validation: textTransformValidation,
        cleanupOnReject: false,
        timeouts: testTimeouts,
      };
      const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
        args: [input],
        taskQueue,
        workflowId: uniqueId('release-crash'),
      });

      const promotes = async () =>
        (await emu.control.requests({ method: 'POST', path: `/v1/models/${model.id}/` })).filter((r) =>
          r.path.endsWith('/promote'),
        );
      const deadline = Date.now() + 90_000;
      while ((await promotes()).length === 0) {
        if (Date.now() > deadline) throw new Error(`no promote call within 90 s; worker output:\n${first.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await stop(first.child, 'SIGKILL');

      const second = await startWorkerProcess(workerEnv);
      children.push(second.child);
      const result = await handle.result();

      expect(result.status).toBe('promoted');
      expect(result.previousProductionDeploymentId).toBe(seed.id);
      const production = (await emu.call('GET', `/v1/models/${model.id}`)).body as { production_deployment_id: string };
      expect(production.production_deployment_id).toBe(result.candidateDeploymentId);
      expect(await promotes()).toHaveLength(1);
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
