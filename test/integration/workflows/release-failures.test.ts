import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { exitCodeFor } from '../../../src/cli/deploy/release-outcome';
import { resultFromWorkflowError } from '../../../src/operations/release-follow';
import { ExitCode } from '../../../src/common/exit-codes';
import type { deployModel } from '../../../src/workflows/deploy';
import { approveUpdate } from '../../../src/workflows/messages';
import type { DeployInput, DeployResult } from '../../../src/workflows/types';
import { validationSpecSchema } from '../../../src/validation/schema';
import { uniqueId } from '../../support/temporal';
import { fakeActivityWorker, startTimeSkipping, stopTimeSkipping } from '../../support/time-skipping';
import { waitForStage } from '../../support/release-stage';
import { basetenFailure, FakeFleet } from './fake-fleet';

// Partial failures of a release on the time-skipping server: the activities are typed fakes, so each test scripts
// exactly the failure it is about, and retries, approval waits and deadlines pass in simulated time.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => stopTimeSkipping(env));

const validation = validationSpecSchema.parse({
  warmup: { requests: 0 },
  cases: [{ name: 'smoke', input: { text: 'hi' } }],
});

function input(taskQueue: string, overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    modelName: 'tt',
    environment: 'production',
    candidate: { kind: 'published' },
    trussDir: '/truss',
    pushTaskQueue: taskQueue,
    validation,
    cleanupOnReject: false,
    // These tests are about the release; the watcher it starts afterwards has its own tests (watcher.test.ts).
    watch: { enabled: false },
    ...overrides,
  };
}

/** Runs one release against `fleet`, with `during` acting on its handle while it runs; returns the handle. */
async function release(
  fleet: FakeFleet,
  overrides: Partial<DeployInput> = {},
  during?: (handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof deployModel>>>) => Promise<void>,
) {
  const { worker, taskQueue } = await fakeActivityWorker(env, fleet.activities);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof deployModel>('deployModel', {
      args: [input(taskQueue, overrides)],
      taskQueue,
      workflowId: uniqueId('release'),
    });
    await during?.(handle);
    const outcome: { value?: DeployResult; error?: unknown } = await handle.result().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    return { handle, ...outcome };
  });
}

describe('a release whose promotion fails part-way', () => {
  it('reverts a promote that landed but whose activity then failed, and says so', async () => {
    const fleet = new FakeFleet();
    const promote = fleet.activities.promoteCandidate;
    fleet.activities.promoteCandidate = async (promoteInput) => {
      if (promoteInput.target.kind === 'deployment' && promoteInput.target.deploymentId === 'new') {
        // The promote reaches Baseten every time, but every answer is lost until the retries run out.
        await promote(promoteInput);
        throw basetenFailure('APIConnectionTimeoutError', 'POST /v1/models/m1/deployments/new/promote timed out');
      }
      return promote(promoteInput);
    };
    const { error } = await release(fleet);

    // The failure chain a user sees: the release failed because the promote activity did.
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const releaseFailure = (error as WorkflowFailedError).cause;
    expect(releaseFailure).toBeInstanceOf(ApplicationFailure);
    expect(releaseFailure).toMatchObject({ type: 'ReleaseFailed' });
    const activityFailure = releaseFailure?.cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect((activityFailure as ActivityFailure).cause).toMatchObject({
      type: 'APIConnectionTimeoutError',
      message: 'POST /v1/models/m1/deployments/new/promote timed out',
    });
    // ... and production was put back on the previous deployment and verified there.
    expect(fleet.production).toBe('old');
    const revert = fleet.calls.filter((c) => !c.startsWith('notify')).slice(-4);
    // The cancel and the wake run side by side, in either order; the promote and the verify follow both.
    expect(revert.slice(0, 2).sort()).toEqual(['cancelPendingPromotion', 'prepareForTraffic old']);
    expect(revert.slice(2)).toEqual(['promoteCandidate old', 'verifyProduction old']);
    const result = resultFromWorkflowError(error);
    expect(result).toMatchObject({
      status: 'failed',
      reverted: true,
      promotionAttempted: true,
      failedStage: 'promoting',
    });
    expect(exitCodeFor(result)).toBe(ExitCode.promotionFailed);
  });

  it('reports a revert that itself failed as not reverted, with its own exit code', async () => {
    const fleet = new FakeFleet();
    const verify = fleet.activities.verifyProduction;
    fleet.activities.verifyProduction = async (verifyInput) =>
      verifyInput.deploymentId === 'new'
        ? { verified: false, reason: 'production answers 500', productionDeploymentId: 'new', status: 'ACTIVE' }
        : verify(verifyInput);
    fleet.activities.prepareForTraffic = async (prepareInput) => {
      fleet.calls.push(`prepareForTraffic ${prepareInput.deploymentId}`);
      if (prepareInput.deploymentId === 'old') {
        throw basetenFailure('DeploymentFailedError', 'deployment old is DEPLOY_FAILED', true);
      }
      return { deploymentId: prepareInput.deploymentId, status: 'ACTIVE' };
    };
    const { value } = await release(fleet);

    expect(value).toMatchObject({
      status: 'failed',
      failedStage: 'verifying',
      reverted: false,
      promotionAttempted: true,
    });
    expect(value?.reason).toContain('revert failed');
    expect(value?.reason).toContain('NOT reverted');
    expect(fleet.production).toBe('new');
    expect(exitCodeFor(value ?? { status: 'promoted' })).toBe(ExitCode.notReverted);
  });

  it('says there was nothing to revert to when the first deployment of a model does not verify', async () => {
    const fleet = new FakeFleet();
    fleet.production = 'new'; // Baseten makes a model's first deployment production by itself.
    fleet.activities.verifyProduction = async () => ({ verified: false, reason: 'production answers 500' });
    const { value } = await release(fleet);
    expect(value).toMatchObject({ status: 'failed', reverted: false, promotionAttempted: true });
    expect(value?.reason).toContain('there is no previous deployment to revert to');
    expect(exitCodeFor(value ?? { status: 'promoted' })).toBe(ExitCode.notReverted);
  });
});

describe('a release cancelled (superseded) while it runs', () => {
  it('finishes a promotion it has started, then reports it, instead of leaving production half-changed', async () => {
    const fleet = new FakeFleet();
    const promote = fleet.activities.promoteCandidate;
    let landed: () => void = () => undefined;
    const promoteLanded = new Promise<void>((resolve) => (landed = resolve));
    fleet.activities.promoteCandidate = async (promoteInput) => {
      const result = await promote(promoteInput);
      landed();
      // Hold the answer long enough for the cancellation to arrive in the middle of the promotion.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return result;
    };
    const { value, error } = await release(fleet, {}, async (handle) => {
      await promoteLanded;
      await handle.cancel();
    });
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ status: 'promoted', productionDeploymentId: 'new' });
    expect(fleet.callsOf('verifyProduction')).toEqual(['verifyProduction new']);
  });

  it('stops before its promotion, leaving production untouched', async () => {
    const fleet = new FakeFleet();
    const { error } = await release(fleet, { approval: { required: true, timeoutMs: 3_600_000 } }, async (handle) => {
      await waitForStage(handle, 'awaiting-approval');
      await handle.cancel();
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(resultFromWorkflowError(error).reason).toContain('production is unchanged');
    expect(fleet.callsOf('promoteCandidate')).toEqual([]);
    expect(fleet.production).toBe('old');
  });
});

describe('a long approval wait', () => {
  it('wakes the candidate (scaled to zero meanwhile) before promoting it, and promotes a good one', async () => {
    const fleet = new FakeFleet();
    const { value } = await release(
      fleet,
      { approval: { required: true, timeoutMs: 48 * 3_600_000 } },
      async (handle) => {
        await waitForStage(handle, 'awaiting-approval');
        await env.sleep('25 hours');
        await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
      },
    );
    expect(value).toMatchObject({ status: 'promoted', productionDeploymentId: 'new' });
    const afterApproval = fleet.calls
      .slice(fleet.calls.indexOf('describeProduction'))
      .filter((c) => !c.startsWith('notify'));
    expect(afterApproval).toEqual([
      'describeProduction',
      'prepareForTraffic new',
      // How the environment promotes (all at once here: no traffic steps to analyse).
      'planRollout',
      'promoteCandidate new',
      'verifyProduction new',
    ]);
  });
});
