import { resultFromWorkflowError } from '../../src/operations/release-follow';
import type { deployModel } from '../../src/workflows/deploy';
import type { DeployResult } from '../../src/workflows/types';
import {
  startReleaseHarness,
  releaseInput,
  type DeployHandle,
  type ReleaseHarness,
} from '../integration/release/release-harness';
import { fleetWorkerEnv } from '../support/fleet-worker';
import { activityAttempts } from '../support/history-events';
import { uniqueId } from '../support/temporal';
import { waitFor } from '../support/wait-for';
import { startWorkerProcess, stopProcess, type WorkerProcess } from '../support/worker-process';

// Answers no retry can fix (a wrong key, no permission, an id that does not exist, a body Baseten refuses) end a
// real release at once, with Baseten's own words, after one call: never minutes of retries. Reproduce:
//   npx jest --runInBand test/reliability/permanent-errors.test.ts

/** How a release ended, whether it returned a result or failed the workflow (an infrastructure failure). */
async function outcomeOf(handle: DeployHandle): Promise<DeployResult> {
  return handle.result().catch(resultFromWorkflowError);
}

describe('permanent Baseten errors end a release at once', () => {
  let h: ReleaseHarness;
  let wrongKeyWorker: WorkerProcess;
  const wrongKeyQueue = uniqueId('fleet-wrong-key');

  beforeAll(async () => {
    h = await startReleaseHarness();
    // The real `baseten-cd worker`. A worker started with a wrong key refuses to start (test/reliability/
    // bad-input.test.ts); here Baseten stops taking the key after the worker has started (a revoked key).
    wrongKeyWorker = await startWorkerProcess(fleetWorkerEnv(h.emu.emulator, wrongKeyQueue));
  });
  afterAll(async () => {
    if (wrongKeyWorker) await stopProcess(wrongKeyWorker.child);
    await h?.close();
  });

  it('a revoked API key: the worker and the release say "Baseten refused the API key", once', async () => {
    const { modelId } = await h.seed('refused-key');
    const since = new Date().toISOString();
    await h.emu.control.failManagement({
      status: 401,
      message: 'Missing or invalid API key: send "Authorization: Api-Key <key>" or "Bearer <key>"',
      path: `/v1/models/${modelId}/**`,
    });
    const handle = await h.temporal.client.workflow.start<typeof deployModel>('deployModel', {
      args: [releaseInput(h.pushTaskQueue, { modelName: 'refused-key' })],
      taskQueue: wrongKeyQueue,
      workflowId: uniqueId('release-refused-key'),
    });
    const result = await outcomeOf(handle).finally(() => h.emu.control.clearFaults());

    expect(result).toMatchObject({ status: 'failed', failedStage: 'building', failureType: 'AuthenticationError' });
    expect(result.reason).toMatch(
      /^building: Baseten refused the API key: 401 Missing or invalid API key: send "Authorization: Api-Key <key>"/,
    );
    // One call, one attempt: refused once, not retried.
    const calls = await h.emu.control.requests({ path: `/v1/models/${modelId}/`, since });
    expect(calls.map((c) => c.status)).toEqual([401]);
    expect(activityAttempts(await handle.fetchHistory(), 'awaitDeploymentActive')).toEqual([1]);
    // The worker logs the one failed attempt, then the release's end (its own line and the SDK's): never a retry.
    await waitFor('the worker to log the failed workflow', () => wrongKeyWorker.output().includes('Workflow failed'));
    const entries = wrongKeyWorker.output().split(/\n(?=\d{4}-\d\d-\d\dT)/);
    const said = entries.filter((entry) => entry.includes('Baseten refused the API key'));
    expect(said.map((entry) => entry.split('\n')[0]?.replace(/^\S+ /, ''))).toEqual([
      '[WARN] Activity failed {',
      expect.stringMatching(/^\[INFO\] release failed: building: Baseten refused the API key: 401 /),
      '[WARN] Workflow failed {',
    ]);
  });

  it.each([
    [403, 'You do not have permission to access this model'],
    [404, 'Deployment not found'],
  ])(
    '%i on the wait for the candidate: the release fails with Baseten’s message, after one call',
    async (status, message) => {
      const modelName = uniqueId(`refused-${status}`);
      const { modelId, deploymentId } = await h.seed(modelName);
      // Every read of a deployment of this model is refused, so a retry would show as a second call.
      await h.emu.control.failManagement({
        status,
        message,
        method: 'GET',
        path: `/v1/models/${modelId}/deployments/*`,
      });
      try {
        const since = new Date().toISOString();
        const handle = await h.start({ modelName });
        const result = await outcomeOf(handle);

        expect(result).toMatchObject({ status: 'failed', failedStage: 'building' });
        expect(result.reason).toContain(`${status} ${message}`);
        const reads = await h.emu.control.requests({
          method: 'GET',
          path: `/v1/models/${modelId}/deployments/`,
          since,
        });
        expect(reads.map((r) => r.status)).toEqual([status]);
        expect(activityAttempts(await handle.fetchHistory(), 'awaitDeploymentActive')).toEqual([1]);
        expect(await h.emu.productionOf(modelId)).toBe(deploymentId);
      } finally {
        await h.emu.control.clearFaults();
      }
    },
  );

  it('422 on the promote: not retried, production left as it was (the revert finds nothing to undo)', async () => {
    const modelName = uniqueId('refused-422');
    const { modelId, deploymentId } = await h.seed(modelName);
    const message = 'scale_down_previous_production: not a valid boolean';
    await h.emu.control.failManagement({
      status: 422,
      message,
      method: 'POST',
      path: `/v1/models/${modelId}/**/promote`,
    });
    try {
      const handle = await h.start({ modelName });
      const result = await outcomeOf(handle);

      expect(result).toMatchObject({ status: 'failed', failedStage: 'promoting', reverted: true });
      expect(result.reason).toContain(`422 ${message}`);
      expect((await h.emu.promoteCalls(modelId)).map((c) => c.status)).toEqual([422]);
      // The release's promote and the revert's (which found production unchanged): each on its first attempt.
      expect(activityAttempts(await handle.fetchHistory(), 'promoteCandidate')).toEqual([1, 1]);
      expect(await h.emu.productionOf(modelId)).toBe(deploymentId);
    } finally {
      await h.emu.control.clearFaults();
    }
  });
});
