import type { deployModel } from '../../../src/workflows/deploy';
import { exitCodeFor } from '../../../src/cli/deploy/release-outcome';
import { ExitCode } from '../../../src/common/exit-codes';
import { loadWorkerConfig } from '../../../src/fleet/config';
import { runWorker, type RunningWorker } from '../../../src/fleet/run-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { releaseInput } from './release-harness';
import { testApiKey } from '../../support/secrets';

// The push runs only in the `baseten-cd deploy` process that started the release. When that process is gone
// before the push starts, nobody polls the push task queue: the release must end, not wait forever.
describe('a release whose push nobody picks up', () => {
  let temporal: TemporalTestContext;
  let fleet: RunningWorker;
  const taskQueue = uniqueId('fleet');

  beforeAll(async () => {
    temporal = await connectTemporal();
    // No Baseten call happens before the push, so the fleet worker needs no real Baseten behind it.
    fleet = await runWorker(
      loadWorkerConfig({
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
        BASETEN_CD_TASK_QUEUE: taskQueue,
        BASETEN_API_KEY: testApiKey('unused'),
        BASETEN_API_URL: 'http://127.0.0.1:9',
      }),
    );
  });
  afterAll(async () => {
    await fleet?.shutdown();
    await temporal?.close();
  });

  it('fails in the pushing stage, naming the task queue and the missing deploy process (exit code 1)', async () => {
    const pushTaskQueue = uniqueId('nobody-polls');
    const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
      taskQueue,
      workflowId: uniqueId('release'),
      args: [releaseInput(pushTaskQueue, { timeouts: { pushScheduleToStartMs: 2_000 } })],
    });

    const result = await handle.result();

    expect(result).toMatchObject({
      status: 'failed',
      failedStage: 'pushing',
      failureType: 'PushNotStartedError',
      reason: `pushing: nobody picked up the push on task queue ${pushTaskQueue} within 2 s: the \`baseten-cd deploy\` process that hosts it is gone`,
    });
    expect(result.candidateDeploymentId).toBeUndefined();
    expect(exitCodeFor(result)).toBe(ExitCode.failure);
  }, 60_000);
});
